import { describe, expect, it } from 'vitest';
import { Rng } from '../../core/random.js';
import { ExactIndex } from './exact.js';
import { HnswIndex } from './hnsw.js';
import type { IdFilter, VectorIndex } from './vector-index.js';

const N = 20_000;
const DIM = 64;
const QUERIES = 100;

function randomRows(rng: Rng, rows: number): Float32Array {
  const out = new Float32Array(rows * DIM);
  for (let i = 0; i < out.length; i++) out[i] = rng.normal();
  return out;
}

/** Mean share of the exact top 10 that `index` returns. */
function recallAt10(index: VectorIndex, exact: ExactIndex, queries: Float32Array, filter?: IdFilter): number {
  let hits = 0;
  for (let q = 0; q < QUERIES; q++) {
    const query = queries.subarray(q * DIM, (q + 1) * DIM);
    const truth = new Set(exact.search(query, 10, filter).ids);
    for (const id of index.search(query, 10, filter).ids) if (truth.has(id)) hits++;
  }
  return hits / (QUERIES * 10);
}

describe('HnswIndex on 20k random 64-d vectors', () => {
  const rng = new Rng(2024);
  const vectors = randomRows(rng, N);
  const ids = Int32Array.from({ length: N }, (_, i) => i);
  const queries = randomRows(rng, QUERIES);
  const exact = new ExactIndex(DIM, N);
  exact.add(ids, vectors);
  // Uniform random vectors are HNSW's hardest case (no clusters): efSearch 200 gives ~0.97 here, the
  // default 128 ~0.91. Capacity 1000 makes the index resize as it fills.
  const hnsw = new HnswIndex(DIM, { capacity: 1000, efSearch: 200 });
  hnsw.add(ids, vectors);

  it('finds at least 90% of the exact top 10, more with a larger efSearch', () => {
    const recall = recallAt10(hnsw, exact, queries);
    expect(recall).toBeGreaterThanOrEqual(0.9);
    hnsw.efSearch = 16;
    const low = recallAt10(hnsw, exact, queries);
    hnsw.efSearch = 200;
    expect(low).toBeLessThan(recall);
  });

  it('respects a filter inside the graph walk with the same recall', () => {
    const evenOnly = (id: number) => id % 2 === 0;
    expect(recallAt10(hnsw, exact, queries, evenOnly)).toBeGreaterThanOrEqual(0.9);
    for (let q = 0; q < 10; q++) {
      const { ids: found } = hnsw.search(queries.subarray(q * DIM, (q + 1) * DIM), 10, evenOnly);
      expect(found.length).toBe(10);
      expect(Array.from(found).every(evenOnly)).toBe(true);
    }
  });

  it('links items added after the build into the graph', () => {
    const extra = randomRows(rng, 1000);
    const extraIds = Int32Array.from({ length: 1000 }, (_, i) => N + i);
    hnsw.add(extraIds, extra);
    exact.add(extraIds, extra);
    expect(hnsw.size).toBe(N + 1000);
    // Queries equal to the new items, then any query with only the new items allowed.
    expect(recallAt10(hnsw, exact, extra)).toBeGreaterThanOrEqual(0.9);
    const onlyNew = (id: number) => id >= N;
    expect(recallAt10(hnsw, exact, queries, onlyNew)).toBeGreaterThanOrEqual(0.9);
  });
});
