/** The engine with the real text encoder: text queries, new items placed by their text, hybrid scores. */
import { beforeAll, describe, expect, it } from 'vitest';
import { servedModel } from '../../test/fixtures/served-model.js';
import type { Item } from '../core/types.js';
import type { Dataset } from '../data/dataset.js';
import { userEvents as datasetUserEvents } from '../data/user-events.js';
import { initBackend } from '../nn/backend.js';
import { openStore } from '../storage/open.js';
import { createTextEncoder, type TextEncoder } from '../text/encoder.js';
import { itemText } from '../text/item-text.js';
import { Engine } from './engine.js';
import { openServingModel } from './serving-model.js';

let encoder: TextEncoder;

const userEvents = (data: Dataset, u: number) => datasetUserEvents(data, u, `user-${u}`);

async function openEngine(family: 'sasrec' | 'sasrec-text', textWeight = 0) {
  const { dir, data } = await servedModel(family);
  const model = await openServingModel(dir);
  const store = await openStore('memory://');
  await store.items.put([...data.catalog.values()]);
  const engine = await Engine.open({
    store,
    model,
    text: { encoder, itemText: (item) => itemText(item) },
    textWeight,
  });
  return { engine, model, data };
}

beforeAll(async () => {
  await initBackend();
  encoder = await createTextEncoder({ provider: 'use-lite' });
}, 60_000);

describe('Engine with the text space', () => {
  it('answers a sentence with the items of its topic', async () => {
    const { engine, data } = await openEngine('sasrec');
    const topic = [...data.catalog.values()][0].categories![0];
    const { items, modelId } = await engine.recommendForText(`${topic}`, { k: 5 });
    expect(modelId).toBeNull();
    const inTopic = items.filter((item) => item.categories?.includes(topic)).length;
    expect(inTopic).toBeGreaterThanOrEqual(4);
    for (const item of items) expect(item.reasons.find((r) => r.kind === 'text')).toBeDefined();
    await engine.close();
  }, 120_000);

  it('recommends a new item at once, placed by its text next to similar items', async () => {
    const { engine, data } = await openEngine('sasrec');
    await engine.ingest(userEvents(data, 2));
    const twin = [...data.catalog.values()][5];
    const fresh: Item = { ...twin, itemId: 'brand-new', title: `${twin.title} (remastered)` };
    await engine.upsertItems([fresh]);
    const { items } = await engine.recommend('user-2', { k: 1, filters: { include: ['brand-new'] } });
    expect(items).toHaveLength(1);
    expect(Number.isFinite(items[0].score)).toBe(true);
    const cold = items[0].reasons.find((r) => r.kind === 'cold-item');
    expect(cold && cold.kind === 'cold-item' && cold.neighbours).toContain(twin.itemId);
    await engine.close();
  }, 120_000);

  it("places a new item with a text-aware model's own projection of its text, calibrated onto the trained items' scores", async () => {
    const { engine, model, data } = await openEngine('sasrec-text');
    expect(model.textEncoder).toBe(encoder.id);
    const twin = [...data.catalog.values()][7];
    await engine.upsertItems([{ ...twin, itemId: 'fresh-twin' }]);
    await engine.ingest(userEvents(data, 3));
    const both = await engine.recommend('user-3', {
      k: 2,
      excludeSeen: [],
      filters: { include: ['fresh-twin'] },
    });
    const u = 3;
    const start = Math.max(data.offsets[u], data.offsets[u + 1] - model.maxLength);
    const user = new Float32Array(model.dim);
    model.encode(
      {
        user: -1,
        history: data.items.slice(start, data.offsets[u + 1]),
        timestamps: data.timestamps?.slice(start, data.offsets[u + 1]),
        types: data.types.slice(start, data.offsets[u + 1]),
      },
      user,
    );
    const dot = (v: Float32Array) => v.reduce((sum, x, d) => sum + x * user[d], 0);
    const stats = (xs: number[]) => {
      const mean = xs.reduce((a, b) => a + b, 0) / xs.length;
      return { mean, std: Math.sqrt(xs.reduce((a, x) => a + (x - mean) ** 2, 0) / xs.length) };
    };
    // the trained items' scores for this user, and the scores of their texts' projections
    const trainedScores = new Float32Array(model.itemIds.length);
    model.score(user, trainedScores);
    const known = stats([...trainedScores]);
    const texts = await encoder.embed(model.itemIds.map((id) => itemText(data.catalog.get(id)!)));
    const projectedScores = stats(texts.map((t) => dot(model.projectText(t)!)));
    // the new item's u · t P (the model has no item bias), mapped from one distribution onto the other
    const [vector] = await encoder.embed([itemText(twin)]);
    const raw = dot(model.projectText(vector)!);
    const expected = known.mean + (known.std / projectedScores.std) * (raw - projectedScores.mean);
    expect(both.items[0].itemId).toBe('fresh-twin');
    expect(both.items[0].score).toBeCloseTo(expected, 3);
    expect(Math.abs(expected - raw)).toBeGreaterThan(0.01); // the mapping changed the score
    await engine.close();
  }, 180_000);

  it('blends behaviour with the text interest when given a text weight, and says how much text mattered', async () => {
    const plain = await openEngine('sasrec', 0);
    const hybrid = await openEngine('sasrec', 2);
    for (const { engine, data } of [plain, hybrid]) await engine.ingest(userEvents(data, 4));
    const a = await plain.engine.recommend('user-4', { k: 10 });
    const b = await hybrid.engine.recommend('user-4', { k: 10 });
    expect(a.textWeight).toBe(0);
    expect(b.textWeight).toBe(2);
    expect(b.items.map((r) => r.itemId)).not.toEqual(a.items.map((r) => r.itemId));
    expect(b.items.some((r) => r.reasons.some((x) => x.kind === 'text' && x.share > 0.05))).toBe(true);
    await plain.engine.close();
    await hybrid.engine.close();
  }, 120_000);
});
