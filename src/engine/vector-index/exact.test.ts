import { describe, expect, it } from 'vitest';
import { Rng } from '../../core/random.js';
import { ExactIndex } from './exact.js';

/** The reference: score every present row in the same summation order, sort all, ties by lower id. */
function naiveTopK(
  vectors: Float32Array,
  ids: Int32Array,
  query: Float32Array,
  k: number,
  allowed: (id: number) => boolean = () => true,
): { ids: number[]; scores: number[] } {
  const dim = query.length;
  const scored = Array.from(ids, (id, row) => {
    let s = 0;
    for (let i = 0; i < dim; i++) s += query[i] * vectors[row * dim + i];
    return { id, s };
  })
    .filter(({ id }) => allowed(id))
    .sort((a, b) => b.s - a.s || a.id - b.id)
    .slice(0, k);
  return { ids: scored.map((x) => x.id), scores: scored.map((x) => Math.fround(x.s)) };
}

function randomRows(rng: Rng, rows: number, dim: number): Float32Array {
  const out = new Float32Array(rows * dim);
  for (let i = 0; i < out.length; i++) out[i] = rng.normal();
  return out;
}

describe('ExactIndex', () => {
  it('equals a full sort of every score, for sizes off the 4-row block and several k', () => {
    const rng = new Rng(11);
    for (const [n, dim] of [
      [1, 3],
      [7, 5],
      [1003, 64],
    ]) {
      const vectors = randomRows(rng, n, dim);
      const ids = Int32Array.from({ length: n }, (_, i) => i);
      const index = new ExactIndex(dim);
      index.add(ids, vectors);
      for (let q = 0; q < 20; q++) {
        const query = randomRows(rng, 1, dim);
        for (const k of [1, 10, n + 5]) {
          const got = index.search(query, k);
          const want = naiveTopK(vectors, ids, query, k);
          expect(Array.from(got.ids)).toEqual(want.ids);
          expect(Array.from(got.scores)).toEqual(want.scores);
        }
      }
    }
  });

  it('equals the filtered full sort, and calls the filter only for rows that could enter', () => {
    const rng = new Rng(12);
    const vectors = randomRows(rng, 5000, 16);
    const ids = Int32Array.from({ length: 5000 }, (_, i) => i);
    const index = new ExactIndex(16);
    index.add(ids, vectors);
    const allowed = (id: number) => id % 5 !== 0;
    const query = randomRows(rng, 1, 16);
    let calls = 0;
    const got = index.search(query, 10, (id) => {
      calls++;
      return allowed(id);
    });
    expect(Array.from(got.ids)).toEqual(naiveTopK(vectors, ids, query, 10, allowed).ids);
    expect(calls).toBeLessThan(500);
  });

  it('breaks ties by the lower id and skips ids never added', () => {
    const index = new ExactIndex(2);
    const same = Float32Array.from([1, 1, 1, 1, 1, 1]);
    index.add([9, 3, 6], same);
    const { ids } = index.search(Float32Array.from([1, 0]), 10);
    expect(Array.from(ids)).toEqual([3, 6, 9]);
    expect(index.size).toBe(3);
  });
});
