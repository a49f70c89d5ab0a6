/**
 * Exact vs HNSW top-10 retrieval by inner product on a synthetic catalogue shaped like learned item
 * embeddings: Zipf-sized Gaussian clusters, per-item norms that vary (as popular items' do in MF), and
 * user-like queries mixing 2-3 cluster centres. Reports build time, RSS, p50/p99 per query and
 * recall@10 against exact search for each efSearch, and picks the smallest efSearch with
 * recall@10 ≥ 0.95 and p99 < 50 ms. Prints a markdown table, then one JSON line for bench/run.ts.
 *
 * Run: npx tsx bench/vector-index.ts [--items 1000000] [--ef 32,64,128,256]   (or npm run bench -- vector-index)
 */
import { cumulativeSums, Rng, zipfWeights } from '../src/core/random.js';
import { ExactIndex, HnswIndex, type IdFilter, type VectorIndex } from '../src/engine/vector-index/index.js';
import { argValue, emit } from './measure.js';
import {
  type EfRow,
  type Latency,
  renderVectorIndex,
  type VectorIndexResult,
} from './suites/vector-index.js';

const ITEMS = Number(argValue('items', '1000000'));
const DIM = Number(argValue('dim', '64'));
const CLUSTERS = Number(argValue('clusters', '1000'));
const QUERIES = Number(argValue('queries', '1000'));
const EF_VALUES = argValue('ef', '32,64,128,256').split(',').map(Number);
const M = Number(argValue('m', '16'));
const EF_CONSTRUCTION = Number(argValue('ef-construction', '200'));
const ML1M_ITEMS = 3416;
const SEEN_PER_QUERY = 100;
const K = 10;
const TARGET_RECALL = 0.95;
const TARGET_P99_MS = 50;

const log = (line: string) => process.stderr.write(`${line}\n`);
const rssMiB = () => Math.round(process.memoryUsage().rss / 2 ** 20);

/** Centres ~N(0, I/dim) (norm ~1); items = (centre + noise) × a log-normal norm factor. */
function makeCatalogue(rng: Rng): { centresRowMajor: Float32Array; itemsRowMajor: Float32Array } {
  const scale = 1 / Math.sqrt(DIM);
  const centresRowMajor = new Float32Array(CLUSTERS * DIM);
  for (let i = 0; i < centresRowMajor.length; i++) centresRowMajor[i] = rng.normal() * scale;
  const clusterSizes = cumulativeSums(zipfWeights(CLUSTERS, 0.7));
  const itemsRowMajor = new Float32Array(ITEMS * DIM);
  for (let item = 0; item < ITEMS; item++) {
    const centre = rng.cumulativeIndex(clusterSizes) * DIM;
    const norm = Math.exp(0.3 * rng.normal());
    for (let d = 0; d < DIM; d++) {
      itemsRowMajor[item * DIM + d] = norm * (centresRowMajor[centre + d] + 0.5 * scale * rng.normal());
    }
  }
  return { centresRowMajor, itemsRowMajor };
}

/** A user-like vector: a Dirichlet mix of 2-3 random centres plus a little noise. */
function makeQueries(rng: Rng, centresRowMajor: Float32Array): Float32Array {
  const queriesRowMajor = new Float32Array(QUERIES * DIM);
  for (let q = 0; q < QUERIES; q++) {
    const weights = rng.dirichlet(rng.chance(0.5) ? [1, 1] : [1, 1, 1]);
    for (const w of weights) {
      const centre = rng.below(CLUSTERS) * DIM;
      for (let d = 0; d < DIM; d++) queriesRowMajor[q * DIM + d] += w * centresRowMajor[centre + d];
    }
    for (let d = 0; d < DIM; d++) queriesRowMajor[q * DIM + d] += (0.2 / Math.sqrt(DIM)) * rng.normal();
  }
  return queriesRowMajor;
}

/** Nearest-rank percentile of sorted values. */
function percentile(sorted: Float64Array, p: number): number {
  return sorted[Math.max(0, Math.ceil(p * sorted.length) - 1)];
}

/** Runs every query once (after a short warm-up), timing each; returns the ids found and the latency. */
function timeQueries(
  index: VectorIndex,
  queriesRowMajor: Float32Array,
  filterFor: (q: number) => IdFilter | undefined = () => undefined,
): { found: Int32Array[]; latency: Latency } {
  const query = (q: number) => queriesRowMajor.subarray(q * DIM, (q + 1) * DIM);
  for (let q = 0; q < Math.min(20, QUERIES); q++) index.search(query(q), K, filterFor(q));
  const ms = new Float64Array(QUERIES);
  const found: Int32Array[] = [];
  const cpuStart = process.cpuUsage();
  for (let q = 0; q < QUERIES; q++) {
    const filter = filterFor(q);
    const started = performance.now();
    found.push(index.search(query(q), K, filter).ids);
    ms[q] = performance.now() - started;
  }
  const cpu = process.cpuUsage(cpuStart);
  ms.sort();
  const cpuMean = (cpu.user + cpu.system) / 1000 / QUERIES;
  return { found, latency: { p50: percentile(ms, 0.5), p99: percentile(ms, 0.99), cpuMean } };
}

function recallAt10(found: Int32Array[], truth: Int32Array[]): number {
  let hits = 0;
  for (let q = 0; q < found.length; q++) {
    const want = new Set(truth[q]);
    for (const id of found[q]) if (want.has(id)) hits++;
  }
  return hits / (found.length * K);
}

const rng = new Rng(7);
let started = performance.now();
const { centresRowMajor, itemsRowMajor } = makeCatalogue(rng);
const queriesRowMajor = makeQueries(rng, centresRowMajor);
const ids = Int32Array.from({ length: ITEMS }, (_, i) => i);
log(
  `catalogue ${ITEMS} × ${DIM} in ${((performance.now() - started) / 1000).toFixed(1)} s, RSS ${rssMiB()} MiB`,
);

let rssBefore = rssMiB();
started = performance.now();
const hnsw = new HnswIndex(DIM, { m: M, efConstruction: EF_CONSTRUCTION, capacity: ITEMS });
const BATCH = 50_000;
for (let from = 0; from < ITEMS; from += BATCH) {
  const to = Math.min(ITEMS, from + BATCH);
  hnsw.add(ids.subarray(from, to), itemsRowMajor.subarray(from * DIM, to * DIM));
  log(`hnsw ${to}/${ITEMS} after ${((performance.now() - started) / 1000).toFixed(0)} s`);
}
const buildSeconds = (performance.now() - started) / 1000;
const hnswRssMiB = rssMiB() - rssBefore;

rssBefore = rssMiB();
const exactIndex = new ExactIndex(DIM, ITEMS);
exactIndex.add(ids, itemsRowMajor);
const exactRssMiB = rssMiB() - rssBefore;
const exact = timeQueries(exactIndex, queriesRowMajor);
log(`exact p50 ${exact.latency.p50.toFixed(1)} ms p99 ${exact.latency.p99.toFixed(1)} ms`);

const small = new ExactIndex(DIM, ML1M_ITEMS);
small.add(ids.subarray(0, ML1M_ITEMS), itemsRowMajor.subarray(0, ML1M_ITEMS * DIM));
const exactSmall = { items: ML1M_ITEMS, ...timeQueries(small, queriesRowMajor).latency };

const rows: EfRow[] = [];
for (const efSearch of EF_VALUES) {
  hnsw.efSearch = efSearch;
  const { found, latency } = timeQueries(hnsw, queriesRowMajor);
  rows.push({ efSearch, recallAt10: recallAt10(found, exact.found), ...latency });
  log(
    `efSearch ${efSearch}: recall@10 ${rows.at(-1)?.recallAt10.toFixed(4)} p99 ${latency.p99.toFixed(2)} ms`,
  );
}
const chosen = rows.find((r) => r.recallAt10 >= TARGET_RECALL && r.p99 < TARGET_P99_MS);

// The engine's case: the user's seen items filtered out (random ids, a set per query).
const seenFor = Array.from({ length: QUERIES }, () => {
  const seen = new Set<number>();
  while (seen.size < SEEN_PER_QUERY) seen.add(rng.below(ITEMS));
  return (id: number) => !seen.has(id);
});
hnsw.efSearch = chosen?.efSearch ?? EF_VALUES[EF_VALUES.length - 1];
const filteredTruth = timeQueries(exactIndex, queriesRowMajor, (q) => seenFor[q]).found;
const filteredRun = timeQueries(hnsw, queriesRowMajor, (q) => seenFor[q]);
const filtered = {
  efSearch: hnsw.efSearch,
  excluded: SEEN_PER_QUERY,
  recallAt10: recallAt10(filteredRun.found, filteredTruth),
  ...filteredRun.latency,
};

const result: VectorIndexResult = {
  bench: 'vector-index',
  items: ITEMS,
  dim: DIM,
  clusters: CLUSTERS,
  queries: QUERIES,
  m: M,
  efConstruction: EF_CONSTRUCTION,
  buildSeconds,
  hnswRssMiB,
  exactRssMiB,
  exact: exact.latency,
  exactSmall,
  rows,
  filtered,
  chosenEf: chosen?.efSearch ?? null,
};
process.stdout.write(
  `${renderVectorIndex({ ...result, peakRssMiB: Math.round(process.resourceUsage().maxRSS / 1024) })}\n`,
);
emit(result);
