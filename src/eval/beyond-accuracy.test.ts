import { describe, expect, it } from 'vitest';
import {
  catalogCoverage,
  categoryJaccardDistance,
  exposureGini,
  gini,
  intraListDiversity,
  novelty,
} from './beyond-accuracy.js';

describe('beyond-accuracy metrics', () => {
  const lists = [Int32Array.from([0, 1]), Int32Array.from([0, 2])];

  it('coverage is the share of items ever recommended', () => {
    expect(catalogCoverage(lists, 4)).toBeCloseTo(3 / 4, 12);
  });

  it('gini is 0 for equal exposure and (n-1)/n when one item takes all', () => {
    expect(gini(Float64Array.from([2, 2, 2, 2]))).toBeCloseTo(0, 12);
    expect(gini(Float64Array.from([0, 0, 0, 8]))).toBeCloseTo(3 / 4, 12);
    // exposure [2, 1, 1, 0]: sorted [0,1,1,2], sum 4; 2*(0+2+3+8)/(4*4) - 5/4 = 0.375
    expect(exposureGini(lists, 4)).toBeCloseTo(0.375, 12);
  });

  it('novelty is the mean self-information of recommended items', () => {
    const usersWithItem = [8, 2, 4, 0];
    // items 0,1,0,2 of 8 users: (0 + 2 + 0 + 1) / 4 bits
    expect(novelty(lists, usersWithItem, 8)).toBeCloseTo(3 / 4, 12);
  });

  it('intra-list diversity averages pairwise category distances', () => {
    const distance = categoryJaccardDistance([['a'], ['a', 'b'], ['c']]);
    expect(distance(0, 1)).toBeCloseTo(0.5, 12);
    expect(distance(0, 2)).toBe(1);
    expect(intraListDiversity(lists, distance)).toBeCloseTo((0.5 + 1) / 2, 12);
  });
});
