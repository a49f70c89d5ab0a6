/** The engine with each kind of model: recurrent state stepping, fused gate, facets, and a hot swap. */
import { beforeAll, describe, expect, it } from 'vitest';
import { servedModel } from '../../test/fixtures/served-model.js';
import type { Dataset } from '../data/dataset.js';
import { userEvents as datasetUserEvents } from '../data/user-events.js';
import { neuralFamily } from '../models/neural/families.js';
import { initBackend } from '../nn/backend.js';
import { openStore } from '../storage/open.js';
import { Engine } from './engine.js';
import { openServingModel } from './serving-model.js';

const userEvents = (data: Dataset, u: number) => datasetUserEvents(data, u, `user-${u}`);

async function openEngine(family: 'gru' | 'sasrec' | 'fused' | 'facets') {
  const { dir, data } = await servedModel(family);
  const model = await openServingModel(dir);
  const store = await openStore('memory://');
  await store.items.put([...data.catalog.values()]);
  return { engine: await Engine.open({ store, model }), model, data, store };
}

beforeAll(async () => {
  await initBackend();
}, 60_000);

describe('Engine with a recurrent model', () => {
  it('steps the hidden state per event; it equals encoding the whole history', async () => {
    const { engine, model, data } = await openEngine('gru');
    expect(model.stepper).not.toBeNull();
    const u = 4;
    const events = userEvents(data, u).slice(0, 40); // within maxLength: step == window encode
    for (const event of events) await engine.ingest([event]);
    const { items } = await engine.recommend(`user-${u}`, { k: 5, excludeSeen: [] });
    const vector = new Float32Array(model.dim);
    const start = data.offsets[u];
    model.encode(
      {
        user: -1,
        history: data.items.slice(start, start + 40),
        timestamps: data.timestamps?.slice(start, start + 40),
        types: data.types.slice(start, start + 40),
      },
      vector,
    );
    const scores = new Float32Array(model.itemIds.length);
    model.score(vector, scores);
    for (const item of items) expect(item.score).toBeCloseTo(scores[model.itemIds.indexOf(item.itemId)], 4);
    await engine.close();
  }, 120_000);
});

describe('Engine with the fused model and the facets model', () => {
  it('reports the short-term share a with every answer and as a reason', async () => {
    const { engine, data } = await openEngine('fused');
    await engine.ingest(userEvents(data, 6));
    const result = await engine.recommend('user-6', { k: 3 });
    expect(result.shortTermShare).toBeGreaterThanOrEqual(0);
    expect(result.shortTermShare).toBeLessThanOrEqual(1);
    // `a`, the former name, says the same for one release
    expect(result.a).toBe(result.shortTermShare);
    const share = result.shortTermShare!;
    for (const item of result.items)
      expect(item.reasons).toContainEqual({ kind: 'short-long', shortTermShare: share, a: share });
    const interests = await engine.interests('user-6');
    expect(interests.shortTermShare).toBe(share);
    expect(interests.a).toBe(share);
    await engine.close();
  }, 120_000);

  it('a saved model records its config with every default written out, and it parses back', async () => {
    for (const family of ['fused', 'facets'] as const) {
      const model = await openServingModel((await servedModel(family)).dir);
      const config = model.manifest.config as Record<string, unknown>;
      // given: only the window (and dim, facets); recorded: the defaults too
      if (family === 'fused') {
        expect(config).toMatchObject({
          shortWindow: 8,
          longTerm: { maxLength: 50, blocks: 2, dropout: 0.2 },
        });
      } else {
        expect(config).toMatchObject({ maxLength: 50, recency: true, routing: 'hard', attentionDim: 64 });
      }
      const schema = (await neuralFamily(family)()).configSchema;
      // strict schemas: a recorded key the schema does not take (fusion's lifted maxLength) would throw
      expect(schema.parse(config).maxLength).toBe(50);
      expect(model.maxLength).toBe(50);
    }
  }, 240_000);

  it('names the facet behind each item; the interests list the facets with labels and weights', async () => {
    const { engine, data } = await openEngine('facets');
    await engine.ingest(userEvents(data, 8));
    const { items } = await engine.recommend('user-8', { k: 5 });
    const interests = await engine.interests('user-8');
    expect(interests.facets).toHaveLength(4); // three facets and the latest events
    expect(interests.facets.reduce((s, f) => s + f.weight, 0)).toBeCloseTo(1, 4);
    expect(interests.facets.filter((f) => f.latest)).toHaveLength(1);
    // a facet reason names an interest proper, never the state after the latest events
    const labels = new Set(interests.facets.filter((f) => !f.latest).map((f) => f.label));
    for (const item of items) {
      const facet = item.reasons.find((r) => r.kind === 'facet');
      expect(facet && labels.has(facet.label)).toBe(true);
    }
    await engine.close();
  }, 120_000);
});

describe('Hot swap', () => {
  it('swaps the model without failing a request; answers then come from the new model', async () => {
    const { engine, data } = await openEngine('sasrec');
    const next = await openServingModel((await servedModel('gru')).dir);
    for (const u of [1, 2, 3, 4]) await engine.ingest(userEvents(data, u));
    const before = await engine.recommend('user-1');
    let failures = 0;
    let answered = 0;
    let stop = false;
    const load = (async () => {
      for (let n = 0; !stop; n++) {
        await engine
          .recommend(`user-${1 + (n % 4)}`)
          .then(() => answered++)
          .catch(() => failures++);
        await engine.ingest([{ userId: 'user-2', itemId: data.itemIds.idOf(n % data.nItems), type: 'view' }]);
      }
    })();
    const catalogued = engine.stats().catalogItems;
    const swap = engine.swapModel(next);
    // an item that arrives after the new catalogue was read still reaches the new generation
    await engine.upsertItems([{ itemId: 'arrived-during-swap', title: 'Arrived during the swap' }]);
    await swap;
    stop = true;
    await load;
    expect(engine.stats().catalogItems).toBe(catalogued + 1);
    expect(failures).toBe(0);
    expect(answered).toBeGreaterThan(0);
    const after = await engine.recommend('user-1');
    expect(before.modelId).toMatch(/^sasrec-/);
    expect(after.modelId).toBe(next.id);
    expect(after.events).toBe(before.events);
    // user-2's events during the swap are all in the new generation's state
    const logged = await engine.interests('user-2');
    expect(logged.events).toBe((await engine.recommend('user-2')).events);
    await engine.close();
  }, 120_000);
});
