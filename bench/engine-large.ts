/**
 * The engine on a 1M-item catalogue, end to end in process: the ML-1M SASRec model's 3,416 items
 * plus synthetic ones, each a real item's embedding and bias with Gaussian noise (half the per-dimension
 * spread of the real embeddings), so the catalogue has the model's own geometry. Users are ML-1M
 * users with their real histories. For each user one new event is ingested (so the request encodes the
 * window again, as in production), then GET-recommendations' work is timed: engine.recommend(k 10,
 * with reasons). Exact = the whole catalogue scored (the engine's path for small catalogues);
 * approximate = candidates from HNSW, whose graph is saved in --index-dir and loaded by later runs.
 * Recall@10 = share of the exact engine's top 10 the approximate one returns.
 *
 * Usage: nice -n 5 node --import tsx bench/engine-large.ts [--model-dir $TIDE_RUNS/sasrec-ml1m]
 *          [--items 1000000] [--users 500] [--index-dir $TIDE_RUNS/index-cache] [--ef 128,512,1024]
 *   (or npm run bench -- engine-large; TIDE_RUNS defaults to ../runs beside the repository)
 */

import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { TerminalProgress } from '../src/cli/progress-bar.js';
import { Rng } from '../src/core/random.js';
import type { Event } from '../src/core/types.js';
import { openDataSource } from '../src/data/ingest/index.js';
import { Engine } from '../src/engine/engine.js';
import { openServingModel, type ServingModel } from '../src/engine/serving-model.js';
import { openStore } from '../src/storage/open.js';
import type { Store } from '../src/storage/ports.js';
import { argValue, type BenchResult, emit, SHARED_DATA } from './measure.js';
import type { Suite } from './run.js';

const RUNS = process.env.TIDE_RUNS ?? new URL('../../runs', import.meta.url).pathname;
const ITEMS = Number(argValue('items', '1000000'));
const USERS = Number(argValue('users', '500'));
const EF_VALUES = argValue('ef', '128,512,1024').split(',').map(Number);
const INDEX_DIR = argValue('index-dir', join(RUNS, 'index-cache'));
const MODEL_DIR = argValue('model-dir', join(RUNS, 'sasrec-ml1m'));
const log = (line: string) => process.stderr.write(`${line}\n`);

/** The real model with its item table grown to `items` rows; encoding is the real model's. */
function enlarge(real: ServingModel, items: number, rng: Rng): ServingModel {
  const { dim } = real;
  const known = real.itemIds.length;
  const spread = new Float64Array(dim);
  for (let i = 0; i < known; i++)
    for (let d = 0; d < dim; d++) spread[d] += real.itemVectors[i * dim + d] ** 2 / known;
  const vectors = new Float32Array(items * dim);
  vectors.set(real.itemVectors);
  const bias = real.itemBias ? new Float32Array(items) : null;
  bias?.set(real.itemBias!);
  const itemIds = [...real.itemIds];
  for (let i = known; i < items; i++) {
    const source = rng.below(known);
    for (let d = 0; d < dim; d++)
      vectors[i * dim + d] = real.itemVectors[source * dim + d] + 0.5 * Math.sqrt(spread[d]) * rng.normal();
    if (bias) bias[i] = real.itemBias![source] + 0.1 * rng.normal();
    itemIds.push(`synthetic-${i}`);
  }
  return {
    ...real,
    id: `${real.id}-x${items}`,
    itemIds,
    itemVectors: vectors,
    itemBias: bias,
    score(userVector, out) {
      for (let i = 0; i < out.length; i++) {
        let score = bias ? bias[i] : 0;
        for (let d = 0, o = i * dim; d < dim; d++) score += vectors[o + d] * userVector[d];
        out[i] = score;
      }
    },
  };
}

/** A store with the first `users` ML-1M users' events and the real items' data. */
async function loadStore(): Promise<{ store: Store; users: string[] }> {
  const store = await openStore('memory://');
  const data = await openDataSource(`${SHARED_DATA}ml-1m`);
  for await (const batch of data.items()) await store.items.put(batch);
  const users = new Set<string>();
  for await (const batch of data.events()) {
    const kept: Event[] = [];
    for (const event of batch) {
      if (users.size < USERS || users.has(event.userId)) {
        users.add(event.userId);
        kept.push(event);
      }
    }
    for (let at = 0; at < kept.length; at += 5000) await store.events.append(kept.slice(at, at + 5000));
  }
  return { store, users: [...users] };
}

const percentile = (sorted: number[], p: number) =>
  sorted[Math.min(sorted.length - 1, Math.ceil(p * sorted.length) - 1)];

/** Per user: one new event (not timed), then the timed request. */
async function timeRequests(
  engine: Engine,
  users: string[],
  rng: Rng,
  itemIds: readonly string[],
  knownItems: number,
) {
  const ms: number[] = [];
  const answers: string[][] = [];
  const progress = new TerminalProgress();
  progress.start('requests', users.length);
  for (const userId of users) {
    await engine.recommend(userId, { k: 10 }); // the state loaded from the log, as in a warm server
    await engine.ingest([
      { userId, itemId: itemIds[rng.below(knownItems)], type: 'click', timestamp: Date.now() },
    ]);
    const started = performance.now();
    const { items } = await engine.recommend(userId, { k: 10 });
    ms.push(performance.now() - started);
    answers.push(items.map((item) => item.itemId));
    progress.tick(1);
  }
  progress.done();
  ms.sort((a, b) => a - b);
  return {
    answers,
    p50: percentile(ms, 0.5),
    p90: percentile(ms, 0.9),
    p99: percentile(ms, 0.99),
    max: ms.at(-1)!,
  };
}

function recallAt10(found: string[][], truth: string[][]): number {
  let hits = 0;
  found.forEach((items, q) => {
    const want = new Set(truth[q]);
    for (const id of items) if (want.has(id)) hits++;
  });
  return hits / (found.length * 10);
}

async function main(): Promise<void> {
  const real = await openServingModel(MODEL_DIR);
  let started = performance.now();
  const model = enlarge(real, ITEMS, new Rng(11));
  log(`catalogue ${ITEMS} × ${model.dim} in ${((performance.now() - started) / 1000).toFixed(1)} s`);
  // every engine gets its own store with the same events, and the same new events (the same seed)
  const { store, users } = await loadStore();
  log(`store: ${await store.events.count()} events of ${users.length} users`);

  started = performance.now();
  const exactEngine = await Engine.open({
    store,
    model,
    retrieval: { approximateFrom: Number.POSITIVE_INFINITY },
  });
  const exactOpenSeconds = (performance.now() - started) / 1000;
  const exact = await timeRequests(exactEngine, users, new Rng(5), model.itemIds, real.itemIds.length);
  await exactEngine.close();
  log(`exact: p50 ${exact.p50.toFixed(2)} ms, p99 ${exact.p99.toFixed(2)} ms`);

  const rows = [];
  for (const efSearch of EF_VALUES) {
    const fresh = await loadStore();
    started = performance.now();
    const engine = await Engine.open({
      store: fresh.store,
      model,
      retrieval: { cacheDir: INDEX_DIR, hnsw: { efSearch }, progress: new TerminalProgress() },
    });
    const openSeconds = (performance.now() - started) / 1000;
    // "built, saved to <file>" or "loaded from <file>"
    const index = (engine.retrievalSummary ?? '').replace(/^.*HNSW index /, '').replace(/ (to|from) .*$/, '');
    const timed = await timeRequests(engine, users, new Rng(5), model.itemIds, real.itemIds.length);
    await engine.close();
    const recall = recallAt10(timed.answers, exact.answers);
    log(
      `HNSW efSearch ${efSearch}: open ${openSeconds.toFixed(1)} s, recall@10 ${recall.toFixed(4)}, p99 ${timed.p99.toFixed(2)} ms`,
    );
    rows.push({
      efSearch,
      openSeconds,
      index,
      recallAt10: recall,
      p50: timed.p50,
      p90: timed.p90,
      p99: timed.p99,
      max: timed.max,
    });
  }

  emit({
    bench: 'engine-large',
    model: real.id,
    items: ITEMS,
    users: users.length,
    exact: { openSeconds: exactOpenSeconds, p50: exact.p50, p90: exact.p90, p99: exact.p99, max: exact.max },
    rows,
  });
}

interface Timing {
  p50: number;
  p90: number;
  p99: number;
  max: number;
}
interface EngineLargeResult extends BenchResult {
  model: string;
  items: number;
  users: number;
  exact: Timing & { openSeconds: number };
  rows: (Timing & { efSearch: number; openSeconds: number; index: string; recallAt10: number })[];
}

const ms = (x: number) => x.toFixed(2);

export const ENGINE_LARGE: Suite = {
  name: 'engine-large',
  jobs: [{ script: 'bench/engine-large.ts', args: [] }],
  render(results) {
    const r = results[0] as EngineLargeResult;
    const row = (label: string, recall: string, open: string, t: Timing) =>
      `| ${label} | ${recall} | ${open} | ${ms(t.p50)} | ${ms(t.p90)} | ${ms(t.p99)} | ${ms(t.max)} |`;
    return [
      `### Engine on ${r.items.toLocaleString('en-US')} items: ${r.model} plus synthetic items, ${r.users} ML-1M users`,
      '',
      'engine.recommend(k 10, with reasons) right after a new event of the user (so the window is encoded again).',
      '',
      '| scoring | recall@10 | engine open s | p50 ms | p90 ms | p99 ms | max ms |',
      '|---|---|---|---|---|---|---|',
      row('every item (exact)', '1', r.exact.openSeconds.toFixed(1), r.exact),
      ...r.rows.map((x) =>
        row(
          `HNSW efSearch ${x.efSearch}`,
          x.recallAt10.toFixed(4),
          `${x.openSeconds.toFixed(1)} (${x.index})`,
          x,
        ),
      ),
      '',
      `Peak RSS ${String(r.peakRssMiB ?? '-')} MiB.`,
    ].join('\n');
  },
};

// run only as a script: bench/run.ts imports this file for ENGINE_LARGE
if (process.argv[1] === fileURLToPath(import.meta.url)) await main();
