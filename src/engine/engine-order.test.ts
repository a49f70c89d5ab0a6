/**
 * Histories as they really arrive: late events, equal times, a gap of years, a single event. The
 * engine must answer as the offline model does for the same events in time order.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { servedModel } from '../../test/fixtures/served-model.js';
import type { Event } from '../core/types.js';
import { EVENT_TYPES } from '../core/types.js';
import { ItemTrend } from '../data/item-trend.js';
import { userEvents } from '../data/user-events.js';
import { encoderFor } from '../models/neural/families.js';
import { NeuralRecommender } from '../models/neural/recommender.js';
import { initBackend } from '../nn/backend.js';
import { openStore } from '../storage/open.js';
import { Engine } from './engine.js';
import { openServingModel } from './serving-model.js';

const YEAR = 365 * 86_400_000;

beforeAll(async () => {
  await initBackend();
}, 60_000);

/** A user's events with two equal times and a gap of years, in an arrival order that is not time order. */
function awkwardArrival(events: Event[]): Event[] {
  const timed = events.map((e, k) => ({
    ...e,
    timestamp: e.timestamp! + (k >= events.length - 3 ? 3 * YEAR : 0),
  }));
  timed[4].timestamp = timed[3].timestamp; // equal times: arrival order decides
  // the last events arrive first, then the rest; one event arrives twice as late as it happened
  const late = timed.splice(6, 1)[0];
  return [...timed.slice(-3), ...timed.slice(0, -3), late];
}

/** Stable sort by time: what offline reading does with the same events. */
function timeOrder(events: readonly Event[]): Event[] {
  return events
    .map((e, k) => ({ e, k }))
    .sort((a, b) => a.e.timestamp! - b.e.timestamp! || a.k - b.k)
    .map((x) => x.e);
}

describe.each(['sasrec-time', 'gru'] as const)('Engine with %s on histories out of time order', (family) => {
  it('answers as the offline model does for the same events in time order; one event is enough', async () => {
    const { dir, data } = await servedModel(family);
    const { model: offline } = await NeuralRecommender.load(dir, encoderFor);
    const store = await openStore('memory://');
    await store.items.put([...data.catalog.values()]);
    const engine = await Engine.open({ store, model: await openServingModel(dir) });
    // a user short enough for the recurrent state to equal a full replay (< maxLength events)
    const u = [...Array(data.nUsers).keys()].find((k) => data.offsets[k + 1] - data.offsets[k] < 40)!;
    const arrival = awkwardArrival(userEvents(data, u));
    for (const event of arrival) await engine.ingest([event]);
    const single = { ...arrival[5], userId: 'one-event-user' };
    await engine.ingest([single]);
    const sorted = timeOrder(arrival);
    // the engine's trend holds exactly the events it was given
    const trend = new ItemTrend(data.nItems, offline.halfLives());
    for (const e of [...arrival, single]) trend.add(data.itemIds.indexOf(e.itemId)!, e.timestamp!);
    if (offline.hasTimeHead) offline.useTrend(trend);
    const now = sorted.at(-1)!.timestamp! + 3_600_000;
    const check = async (userId: string, events: readonly Event[]) => {
      const result = await engine.recommend(userId, { k: 20, excludeSeen: [], now });
      const expected = new Float32Array(data.nItems);
      offline.scoreAll(
        {
          user: -1,
          history: Int32Array.from(events, (e) => data.itemIds.indexOf(e.itemId)!),
          timestamps: Float64Array.from(events, (e) => e.timestamp!),
          types: Uint8Array.from(events, (e) => EVENT_TYPES.indexOf(e.type)),
          now,
        },
        expected,
      );
      expect(result.items).toHaveLength(20);
      for (const item of result.items) {
        expect(Number.isFinite(item.score)).toBe(true);
        expect(item.score).toBeCloseTo(expected[data.itemIds.indexOf(item.itemId)!], 3);
      }
    };
    await check(data.userIds.idOf(u), sorted);
    await check('one-event-user', [single]);
    await engine.close();
  }, 180_000);
});
