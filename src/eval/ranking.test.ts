import { describe, expect, it } from 'vitest';
import { positionAmong, positionsAmong, topK } from './ranking.js';

describe('ranking against the catalogue', () => {
  const scores = Float32Array.from([0.5, 0.9, 0.5, 0.1, 0.5, 0.7]);
  const noneExcluded = new Int32Array(scores.length);

  it('counts strictly greater and equal candidates, leaving the item itself out', () => {
    expect(positionAmong(scores, 0, noneExcluded, 1)).toEqual({ greater: 2, equal: 2 });
    expect(positionAmong(scores, 1, noneExcluded, 1)).toEqual({ greater: 0, equal: 0 });
  });

  it('skips excluded items', () => {
    const excluded = Int32Array.from([0, 7, 0, 0, 7, 0]);
    expect(positionAmong(scores, 0, excluded, 7)).toEqual({ greater: 1, equal: 1 });
    // a different stamp means those marks belong to another case
    expect(positionAmong(scores, 0, excluded, 8)).toEqual({ greater: 2, equal: 2 });
  });

  it('the sorted variant agrees with the scan', () => {
    const excluded = Int32Array.from([0, 0, 3, 0, 0, 0]);
    const items = [0, 1, 3, 4, 5];
    const many = positionsAmong(scores, items, excluded, 3);
    for (const [k, item] of items.entries())
      expect(many[k]).toEqual(positionAmong(scores, item, excluded, 3));
  });

  it('a NaN target lands last and NaN candidates never outrank the target', () => {
    const withNaN = Float32Array.from([Number.NaN, 0.9, 0.5, Number.NaN]);
    expect(positionAmong(withNaN, 0, noneExcluded, 1)).toEqual({ greater: 2, equal: 1 });
    expect(positionAmong(withNaN, 2, noneExcluded, 1)).toEqual({ greater: 1, equal: 0 });
    expect(positionsAmong(withNaN, [0, 2], noneExcluded, 1)).toEqual([
      { greater: 2, equal: 1 },
      { greater: 1, equal: 0 },
    ]);
  });

  it('top-k is best first, lower index first among ties, never excluded', () => {
    expect(Array.from(topK(scores, 4, noneExcluded, 1))).toEqual([1, 5, 0, 2]);
    const excluded = Int32Array.from([0, 2, 0, 0, 0, 0]);
    expect(Array.from(topK(scores, 3, excluded, 2))).toEqual([5, 0, 2]);
    expect(Array.from(topK(scores, 10, noneExcluded, 1))).toHaveLength(6);
  });
});
