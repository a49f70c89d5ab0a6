import { describe, expect, it } from 'vitest';
import {
  hitRate,
  meanAbsoluteError,
  meanSquaredError,
  ndcg,
  precision,
  recall,
  reciprocalRank,
} from './metrics.js';

const ranked = [7, 3, 9, 1, 4];

describe('ranked-list metrics', () => {
  it('hit rate counts a relevant item inside the cut-off only', () => {
    expect(hitRate(ranked, new Set([9]), 3)).toBe(1);
    expect(hitRate(ranked, new Set([9]), 2)).toBe(0);
    expect(hitRate(ranked, new Set([42]), 5)).toBe(0);
  });

  it('NDCG matches hand-computed values', () => {
    // one relevant item at rank 2 (0-based): 1/log2(4) = 0.5
    expect(ndcg(ranked, new Set([9]), 5)).toBeCloseTo(0.5, 12);
    // relevant at ranks 0 and 3: (1 + 1/log2(5)) / (1 + 1/log2(3))
    const expected = (1 + 1 / Math.log2(5)) / (1 + 1 / Math.log2(3));
    expect(ndcg(ranked, new Set([7, 1]), 5)).toBeCloseTo(expected, 12);
    expect(ndcg(ranked, new Set([1]), 3)).toBe(0);
  });

  it('reciprocal rank uses the first relevant item', () => {
    expect(reciprocalRank(ranked, new Set([1, 4]))).toBeCloseTo(1 / 4, 12);
    expect(reciprocalRank(ranked, new Set([5]))).toBe(0);
  });

  it('recall and precision divide hits by |relevant| and by k', () => {
    expect(recall(ranked, new Set([7, 9, 100]), 3)).toBeCloseTo(2 / 3, 12);
    expect(precision(ranked, new Set([7, 9, 100]), 4)).toBeCloseTo(2 / 4, 12);
  });

  it('MSE and MAE match hand-computed values', () => {
    expect(meanSquaredError([3, 4, 5], [4, 4, 3])).toBeCloseTo((1 + 0 + 4) / 3, 12);
    expect(meanAbsoluteError([3, 4, 5], [4, 4, 3])).toBeCloseTo((1 + 0 + 2) / 3, 12);
    expect(meanSquaredError([], [])).toBeNaN();
  });
});
