import { describe, expect, it } from 'vitest';
import { TideError } from '../../core/errors.js';
import { Rng } from '../../core/random.js';
import { createVectorIndex, ExactIndex, HnswIndex, type VectorIndex } from './index.js';

const DIM = 8;

function gaussianRows(rng: Rng, rows: number, dim = DIM): Float32Array {
  const out = new Float32Array(rows * dim);
  for (let i = 0; i < out.length; i++) out[i] = rng.normal();
  return out;
}

function dotRow(vectors: Float32Array, row: number, query: Float32Array): number {
  let s = 0;
  for (let i = 0; i < query.length; i++) s += vectors[row * query.length + i] * query[i];
  return s;
}

const range = (n: number, from = 0) => Int32Array.from({ length: n }, (_, i) => from + i);

/** What every VectorIndex must do; small enough that HNSW is exact on it too. */
function describeVectorIndexContract(name: string, make: () => VectorIndex): void {
  describe(`${name} (vector index contract)`, () => {
    it('returns nothing for an empty index or k = 0', () => {
      const index = make();
      expect(index.search(new Float32Array(DIM), 5).ids.length).toBe(0);
      index.add([0], new Float32Array(DIM).fill(1));
      expect(index.search(new Float32Array(DIM).fill(1), 0).ids.length).toBe(0);
    });

    it('returns every item, best first with inner-product scores, when k exceeds the size', () => {
      const rng = new Rng(1);
      const vectors = gaussianRows(rng, 30);
      const index = make();
      index.add(range(30), vectors);
      const query = gaussianRows(rng, 1);
      const { ids, scores } = index.search(query, 100);
      expect(index.size).toBe(30);
      expect(new Set(ids).size).toBe(30);
      for (let i = 0; i < ids.length; i++) {
        expect(scores[i]).toBeCloseTo(dotRow(vectors, ids[i], query), 4);
        if (i > 0) expect(scores[i]).toBeLessThanOrEqual(scores[i - 1]);
      }
    });

    it('never returns an id the filter rejects, and still fills k from the rest', () => {
      const rng = new Rng(2);
      const index = make();
      index.add(range(200), gaussianRows(rng, 200));
      const seen: number[] = [];
      const { ids } = index.search(gaussianRows(rng, 1), 10, (id) => {
        seen.push(id);
        return id % 3 === 0;
      });
      expect(ids.length).toBe(10);
      expect(Array.from(ids).every((id) => id % 3 === 0)).toBe(true);
      expect(seen.length).toBeGreaterThan(0);
    });

    it('finds items added after searching, and replaces the vector of an id added again', () => {
      const rng = new Rng(3);
      const index = make();
      index.add(range(100), gaussianRows(rng, 100));
      const query = gaussianRows(rng, 1);
      index.search(query, 5);
      const scaled = query.map((x) => 10 * x);
      index.add([100], scaled);
      expect(index.search(query, 1).ids[0]).toBe(100);
      index.add(
        [7],
        scaled.map((x) => 2 * x),
      );
      expect(Array.from(index.search(query, 2).ids)).toEqual([7, 100]);
      expect(index.size).toBe(101);
    });

    it('hides removed items until they are added again', () => {
      const rng = new Rng(4);
      const index = make();
      const vectors = gaussianRows(rng, 50);
      index.add(range(50), vectors);
      const query = gaussianRows(rng, 1);
      const best = index.search(query, 1).ids[0];
      index.remove?.(best);
      index.remove?.(best);
      index.remove?.(999);
      expect(index.size).toBe(49);
      expect(Array.from(index.search(query, 50).ids)).not.toContain(best);
      index.add([best], vectors.subarray(best * DIM, (best + 1) * DIM));
      expect(index.size).toBe(50);
      expect(index.search(query, 1).ids[0]).toBe(best);
    });

    it('rejects a query or rows of the wrong shape, bad ids and bad k', () => {
      const index = make();
      expect(() => index.add([0, 1], new Float32Array(DIM))).toThrow(TideError);
      expect(() => index.add([-1], new Float32Array(DIM))).toThrow(/ids\[0\]/);
      expect(() => index.add([1.5], new Float32Array(DIM))).toThrow(TideError);
      index.add([0], new Float32Array(DIM));
      expect(() => index.search(new Float32Array(DIM + 1), 1)).toThrow(/dim is 8/);
      expect(() => index.search(new Float32Array(DIM), -1)).toThrow(TideError);
    });

    it('passes on an error thrown by the filter', () => {
      const index = make();
      index.add(range(10), gaussianRows(new Rng(5), 10));
      const boom = new Error('boom');
      expect(() =>
        index.search(new Float32Array(DIM).fill(1), 3, () => {
          throw boom;
        }),
      ).toThrow(boom);
    });
  });
}

describeVectorIndexContract('ExactIndex', () => createVectorIndex({ kind: 'exact', dim: DIM }));
describeVectorIndexContract('HnswIndex', () => createVectorIndex({ kind: 'hnsw', dim: DIM, efSearch: 256 }));

describe('createVectorIndex', () => {
  it("picks exact search below exactBelow expected items for 'auto', HNSW from there on", () => {
    expect(createVectorIndex({ dim: 4, expectedItems: 3416 })).toBeInstanceOf(ExactIndex);
    expect(createVectorIndex({ dim: 4, expectedItems: 100, exactBelow: 100 })).toBeInstanceOf(HnswIndex);
  });

  it("rejects 'auto' without expectedItems, and bad parameters by field", () => {
    expect(() => createVectorIndex({ dim: 4 })).toThrow(/expectedItems/);
    expect(() => createVectorIndex({ kind: 'hnsw', dim: 4, m: 1 })).toThrow(/m: /);
    expect(() => createVectorIndex({ kind: 'exact', dim: 0 })).toThrow(/dim: /);
  });
});
