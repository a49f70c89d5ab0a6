import { describe, expect, it } from 'vitest';
import { cumulativeSums, Rng, zipfWeights } from './random.js';

function draws(rng: Rng, n: number): number[] {
  return Array.from({ length: n }, () => rng.next());
}

describe('Rng', () => {
  it('repeats its sequence for a seed and differs across seeds', () => {
    expect(draws(new Rng(7), 20)).toEqual(draws(new Rng(7), 20));
    expect(draws(new Rng(7), 20)).not.toEqual(draws(new Rng(8), 20));
  });

  it('draws uniform floats in [0, 1) with mean near one half', () => {
    const values = draws(new Rng(1), 20_000);
    expect(Math.min(...values)).toBeGreaterThanOrEqual(0);
    expect(Math.max(...values)).toBeLessThan(1);
    expect(values.reduce((s, x) => s + x, 0) / values.length).toBeCloseTo(0.5, 1);
  });

  it('keeps int() within both inclusive ends and reaches them', () => {
    const rng = new Rng(3);
    const seen = new Set(Array.from({ length: 2000 }, () => rng.int(2, 5)));
    expect([...seen].sort()).toEqual([2, 3, 4, 5]);
  });

  it('draws weighted indices in proportion to the weights, never a zero weight', () => {
    const rng = new Rng(5);
    const counts = [0, 0, 0];
    for (let i = 0; i < 30_000; i++) counts[rng.weightedIndex([1, 0, 3])]++;
    expect(counts[1]).toBe(0);
    expect(counts[2] / counts[0]).toBeGreaterThan(2.7);
    expect(counts[2] / counts[0]).toBeLessThan(3.3);
  });

  it('draws from running totals like weightedIndex does', () => {
    expect(Array.from(cumulativeSums([1, 0, 3]))).toEqual([1, 1, 4]);
    const rng = new Rng(6);
    const counts = [0, 0, 0];
    for (let i = 0; i < 30_000; i++) counts[rng.cumulativeIndex(cumulativeSums([1, 0, 3]))]++;
    expect(counts[1]).toBe(0);
    expect(counts[2] / counts[0]).toBeGreaterThan(2.7);
    expect(counts[2] / counts[0]).toBeLessThan(3.3);
  });

  it('draws Gamma with mean equal to the shape, also below 1', () => {
    const rng = new Rng(9);
    for (const shape of [0.3, 2, 10]) {
      let sum = 0;
      for (let i = 0; i < 20_000; i++) sum += rng.gamma(shape);
      expect(sum / 20_000).toBeCloseTo(shape, shape < 1 ? 1 : 0);
    }
  });

  it('draws Dirichlet points on the simplex, concentrated where alpha is large', () => {
    const rng = new Rng(11);
    let firstMean = 0;
    for (let i = 0; i < 2000; i++) {
      const point = rng.dirichlet([10, 1, 1]);
      expect(point.reduce((s, x) => s + x, 0)).toBeCloseTo(1, 10);
      firstMean += point[0] / 2000;
    }
    expect(firstMean).toBeCloseTo(10 / 12, 1);
  });

  it('shuffles into a permutation without touching the input', () => {
    const input = [1, 2, 3, 4, 5, 6, 7, 8];
    const shuffled = new Rng(2).shuffle(input);
    expect(input).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
    expect([...shuffled].sort()).toEqual(input);
    expect(shuffled).not.toEqual(input);
  });
});

describe('zipfWeights', () => {
  it('falls as 1 / rank^exponent and is flat at exponent 0', () => {
    expect(Array.from(zipfWeights(3, 1))).toEqual([1, 0.5, 1 / 3]);
    expect(Array.from(zipfWeights(3, 0))).toEqual([1, 1, 1]);
  });
});
