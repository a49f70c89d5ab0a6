import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
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

describe('HnswIndex save and load', () => {
  const rng = new Rng(7);
  const n = 2000;
  const vectors = randomRows(rng, n);
  const ids = Int32Array.from({ length: n }, (_, i) => i);
  const queries = randomRows(rng, 20);

  it('answers every query the same after a round trip, removed items included', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'tide-hnsw-'));
    try {
      const index = new HnswIndex(DIM, { efSearch: 64, capacity: n });
      index.add(ids, vectors);
      index.remove(3);
      index.remove(1500);
      const path = join(dir, 'items.hnsw');
      index.save(path);
      const loaded = await HnswIndex.load(path, DIM, { efSearch: 64 });
      expect(loaded.size).toBe(n - 2);
      for (let q = 0; q < 20; q++) {
        const query = queries.subarray(q * DIM, (q + 1) * DIM);
        expect(Array.from(loaded.search(query, 10).ids)).toEqual(Array.from(index.search(query, 10).ids));
      }
      // the removed ids stay out, and can come back
      const nearThree = vectors.subarray(3 * DIM, 4 * DIM);
      expect(Array.from(loaded.search(nearThree, 5).ids)).not.toContain(3);
      loaded.add([3], nearThree);
      expect(loaded.search(nearThree, 1).ids[0]).toBe(3);
      expect(loaded.size).toBe(n - 1);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('refuses a file of another dimension or without its bookkeeping, naming the file', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'tide-hnsw-'));
    try {
      const path = join(dir, 'items.hnsw');
      const index = new HnswIndex(DIM, { capacity: 10 });
      index.add([0], vectors.subarray(0, DIM));
      index.save(path);
      await expect(HnswIndex.load(path, DIM + 1)).rejects.toThrow(/items\.hnsw: holds a 64-d index/);
      const graph = readFileSync(path);
      writeFileSync(path, graph.subarray(0, graph.length - 100));
      await expect(HnswIndex.load(path, DIM)).rejects.toThrow(
        /items\.hnsw: \d+ bytes where \d+ were written/,
      );
      writeFileSync(`${path}.json`, 'not json');
      await expect(HnswIndex.load(path, DIM)).rejects.toThrow(
        /items\.hnsw\.json: not an index written by HnswIndex.save/,
      );
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
