/**
 * The engine on candidates from vector indices (its path for large catalogues), checked against
 * scoring every item. Retrieval is switched on for the small world by `approximateFrom: 1`.
 */
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { servedModel } from '../../test/fixtures/served-model.js';
import type { ProgressReporter } from '../core/progress.js';
import type { Item } from '../core/types.js';
import type { Dataset } from '../data/dataset.js';
import { userEvents as datasetUserEvents } from '../data/user-events.js';
import { initBackend } from '../nn/backend.js';
import { openStore } from '../storage/open.js';
import { createTextEncoder, type TextEncoder } from '../text/encoder.js';
import { itemText } from '../text/item-text.js';
import { Engine, type EngineOptions } from './engine.js';
import type { RetrievalOptions } from './retrieval.js';
import { openServingModel } from './serving-model.js';
import type { RecommendOptions, RecommendResult } from './types.js';

const USERS = [1, 2, 3, 5, 8, 13, 21, 34];
const userEvents = (data: Dataset, u: number) => datasetUserEvents(data, u, `user-${u}`);
const cacheDir = mkdtempSync(join(tmpdir(), 'tide-retrieval-'));
let encoder: TextEncoder;

async function openEngine(
  retrieval: RetrievalOptions | undefined,
  extra: Partial<EngineOptions> = {},
  family: 'sasrec' | 'sasrec-text' = 'sasrec',
): Promise<{ engine: Engine; data: Dataset }> {
  const { dir, data } = await servedModel(family);
  const store = await openStore('memory://');
  await store.items.put([...data.catalog.values()]);
  const engine = await Engine.open({ store, model: await openServingModel(dir), retrieval, ...extra });
  for (const u of USERS) await engine.ingest(userEvents(data, u).slice(0, 30));
  return { engine, data };
}

/** The same answer: the same items in the same order, with the same scores and reasons. */
function expectSameAnswer(actual: RecommendResult, expected: RecommendResult): void {
  expect(actual.items.map((item) => item.itemId)).toEqual(expected.items.map((item) => item.itemId));
  actual.items.forEach((item, n) => {
    expect(item.score).toBeCloseTo(expected.items[n].score, 4);
    expect(item.reasons.map((reason) => reason.kind)).toEqual(expected.items[n].reasons.map((r) => r.kind));
  });
}

beforeAll(async () => {
  await initBackend();
  encoder = await createTextEncoder({ provider: 'use-lite' });
}, 60_000);

afterAll(() => rmSync(cacheDir, { recursive: true, force: true }));

describe('Engine with candidate retrieval', () => {
  it('answers as whole-catalogue scoring does when the index is exact: filters, seen items, diversity, popularity', async () => {
    const whole = await openEngine(undefined);
    const indexed = await openEngine({ approximateFrom: 1, kind: 'exact' });
    const topic = [...whole.data.catalog.values()][0].categories![0];
    const requests: RecommendOptions[] = [
      { k: 10 },
      { k: 5, filters: { categories: [topic] } },
      { k: 10, excludeSeen: [] },
      { k: 8, diversity: 0.5 },
    ];
    for (const u of USERS)
      for (const options of requests)
        expectSameAnswer(
          await indexed.engine.recommend(`user-${u}`, options),
          await whole.engine.recommend(`user-${u}`, options),
        );
    // a user with no events: the most popular items, with their counts as the reason
    const popular = await indexed.engine.recommend('nobody', { k: 5 });
    expectSameAnswer(popular, await whole.engine.recommend('nobody', { k: 5 }));
    expect(popular.items[0].reasons).toContainEqual(expect.objectContaining({ kind: 'popular' }));
    await whole.engine.close();
    await indexed.engine.close();
  }, 180_000);

  it('finds nearly all of the exact top 10 through HNSW, and loads the saved graph at the next start', async () => {
    let built = 0;
    const progress: ProgressReporter = {
      start() {},
      tick(n: number) {
        built += n;
      },
      done() {},
    };
    const hnsw: RetrievalOptions = { approximateFrom: 1, cacheDir, hnsw: { efSearch: 64 }, progress };
    const whole = await openEngine(undefined);
    const first = await openEngine(hnsw);
    const items = whole.data.nItems;
    expect(built).toBe(items);
    expect(first.engine.retrievalSummary).toMatch(
      new RegExp(`^${items} items in an HNSW index built, saved to .+\\.hnsw$`),
    );
    expect(readdirSync(cacheDir).filter((f) => f.endsWith('.hnsw'))).toHaveLength(1);
    const loaded = await openEngine(hnsw);
    expect(built).toBe(items); // nothing built again
    expect(loaded.engine.retrievalSummary).toMatch(/HNSW index loaded from .+\.hnsw$/);
    // a damaged file is rebuilt, not fatal
    const [saved] = readdirSync(cacheDir).filter((f) => f.endsWith('.hnsw'));
    writeFileSync(join(cacheDir, saved), 'truncated');
    const rebuilt = await openEngine(hnsw);
    expect(rebuilt.engine.retrievalSummary).toMatch(/HNSW index built, saved to/);
    expect(built).toBe(2 * items);
    await rebuilt.engine.close();
    let hits = 0;
    for (const u of USERS) {
      const truth = new Set((await whole.engine.recommend(`user-${u}`)).items.map((item) => item.itemId));
      const found = await first.engine.recommend(`user-${u}`);
      for (const item of found.items) if (truth.has(item.itemId)) hits++;
      expectSameAnswer(await loaded.engine.recommend(`user-${u}`), found);
    }
    expect(hits / (USERS.length * 10)).toBeGreaterThanOrEqual(0.9);
    // a swap builds the next model's index aside; answers then come from it
    const next = await openServingModel((await servedModel('gru')).dir);
    await first.engine.swapModel(next);
    expect(first.engine.retrievalSummary).toMatch(new RegExp(`HNSW index built, saved to .+${next.id}`));
    const swapped = await first.engine.recommend('user-1');
    expect(swapped.modelId).toBe(next.id);
    expect(swapped.items).toHaveLength(10);
    // no index can be written: slower, not down
    const notADirectory = join(cacheDir, 'a-file');
    writeFileSync(notADirectory, '');
    const unwritable = await openEngine({ approximateFrom: 1, cacheDir: join(notADirectory, 'index') });
    expect(unwritable.engine.retrievalSummary).toBeNull();
    expect((await unwritable.engine.recommend('user-1')).items).toHaveLength(10);
    await unwritable.engine.close();
    for (const { engine } of [whole, first, loaded]) await engine.close();
  }, 180_000);

  it('blends text on candidates as on the whole catalogue, and indexes a new item at once', async () => {
    const text = { encoder, itemText: (item: Item) => itemText(item) };
    const whole = await openEngine(undefined, { text, textWeight: 2 });
    const indexed = await openEngine({ approximateFrom: 1, kind: 'exact' }, { text, textWeight: 2 });
    for (const u of USERS.slice(0, 4)) {
      const expected = await whole.engine.recommend(`user-${u}`, { k: 10 });
      expect(expected.items.some((item) => item.reasons.some((r) => r.kind === 'text'))).toBe(true);
      expectSameAnswer(await indexed.engine.recommend(`user-${u}`, { k: 10 }), expected);
    }
    const query = 'a quiet story about family';
    const expected = await whole.engine.recommendForText(query, { k: 5 });
    expectSameAnswer(await indexed.engine.recommendForText(query, { k: 5 }), expected);
    // through HNSW graphs (built on worker threads, without a cache directory): the same at this size
    const graphs = await openEngine({ approximateFrom: 1 }, { text, textWeight: 2 });
    expect(graphs.engine.retrievalSummary).toMatch(/HNSW index built$/);
    expectSameAnswer(await graphs.engine.recommendForText(query, { k: 5 }), expected);
    await graphs.engine.close();
    const twin = [...whole.data.catalog.values()][5];
    const fresh: Item = { ...twin, itemId: 'brand-new', title: `${twin.title} (remastered)` };
    for (const { engine } of [whole, indexed]) await engine.upsertItems([fresh]);
    const only = { k: 1, filters: { include: ['brand-new'] } };
    const placed = await indexed.engine.recommend('user-2', only);
    expect(placed.items.map((item) => item.itemId)).toEqual(['brand-new']);
    expectSameAnswer(placed, await whole.engine.recommend('user-2', only));
    // found through the index itself, not only by name
    const everything = { k: whole.data.nItems + 1, excludeSeen: [] };
    const scoreOf = (result: RecommendResult) =>
      result.items.find((item) => item.itemId === 'brand-new')?.score;
    const [all, allWhole] = [
      await indexed.engine.recommend('user-2', everything),
      await whole.engine.recommend('user-2', everything),
    ];
    expect(scoreOf(all)).toBeCloseTo(scoreOf(allWhole)!, 4);
    const byText = await indexed.engine.recommendForText(itemText(fresh), { k: 1 });
    expect(byText.items[0].itemId).toBe('brand-new');
    await whole.engine.close();
    await indexed.engine.close();
  }, 240_000);

  it("scores a text-aware model's projected new item, calibrated, among the candidates", async () => {
    const text = { encoder, itemText: (item: Item) => itemText(item) };
    const whole = await openEngine(undefined, { text, textWeight: 2 }, 'sasrec-text');
    const indexed = await openEngine(
      { approximateFrom: 1, kind: 'exact' },
      { text, textWeight: 2 },
      'sasrec-text',
    );
    const twin = [...whole.data.catalog.values()][9];
    for (const { engine } of [whole, indexed])
      await engine.upsertItems([{ ...twin, itemId: 'projected-new' }]);
    const everything = { k: whole.data.nItems + 1, excludeSeen: [] };
    const [a, b] = [
      await whole.engine.recommend('user-5', everything),
      await indexed.engine.recommend('user-5', everything),
    ];
    const score = (result: RecommendResult) =>
      result.items.find((item) => item.itemId === 'projected-new')?.score;
    expect(score(b)).toBeDefined();
    expect(score(b)).toBeCloseTo(score(a)!, 4);
    // the blend standardises over every item, the new ones' calibrated scores included, on both paths
    for (const u of USERS.slice(0, 3))
      expectSameAnswer(
        await indexed.engine.recommend(`user-${u}`, { k: 10 }),
        await whole.engine.recommend(`user-${u}`, { k: 10 }),
      );
    await whole.engine.close();
    await indexed.engine.close();
  }, 240_000);
});
