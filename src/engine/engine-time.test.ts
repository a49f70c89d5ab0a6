/** The engine with a model that has a time head: live trend, request time, and the same scores as offline. */
import { beforeAll, describe, expect, it } from 'vitest';
import { servedModel } from '../../test/fixtures/served-model.js';
import { ItemTrend } from '../data/item-trend.js';
import { userEvents } from '../data/user-events.js';
import { encoderFor } from '../models/neural/families.js';
import { NeuralRecommender } from '../models/neural/recommender.js';
import { initBackend } from '../nn/backend.js';
import { openStore } from '../storage/open.js';
import { Engine } from './engine.js';
import { openServingModel } from './serving-model.js';

const DAY = 86_400_000;

beforeAll(async () => {
  await initBackend();
}, 60_000);

describe('Engine with a time head', () => {
  it('scores as the offline model does with the same events and request time, and the time changes them', async () => {
    const { dir, data } = await servedModel('sasrec-time');
    const served = await openServingModel(dir);
    expect(served.timeHead).not.toBeNull();
    const store = await openStore('memory://');
    await store.items.put([...data.catalog.values()]);
    const engine = await Engine.open({ store, model: served });
    // every user's events, user after user, as the log (times are the world's own)
    for (let u = 0; u < data.nUsers; u++) await engine.ingest(userEvents(data, u));
    const { model: offline } = await NeuralRecommender.load(dir, encoderFor);
    offline.useTrend(ItemTrend.fromCorpus(data, offline.halfLives()));
    const u = 11;
    const start = data.offsets[u];
    const end = data.offsets[u + 1];
    const lastAt = data.timestamps![end - 1];
    const scoresAt = async (now: number) => {
      const result = await engine.recommend(data.userIds.idOf(u), { k: 20, excludeSeen: [], now });
      const expected = new Float32Array(data.nItems);
      offline.scoreAll(
        {
          user: -1,
          history: data.items.slice(start, end),
          timestamps: data.timestamps!.slice(start, end),
          types: data.types.slice(start, end),
          now,
        },
        expected,
      );
      for (const item of result.items)
        expect(item.score).toBeCloseTo(expected[data.itemIds.indexOf(item.itemId)!], 3);
      expect(result.trendShare).toBeGreaterThan(0);
      return result;
    };
    const soon = await scoresAt(lastAt + 60_000);
    const later = await scoresAt(lastAt + 90 * DAY);
    expect(later.items.map((item) => item.score)).not.toEqual(soon.items.map((item) => item.score));
    await engine.close();
  }, 180_000);
});
