import { describe, expect, it } from 'vitest';
import { discount } from './metrics.js';
import {
  expectedDiscountedGain,
  expectedHit,
  expectedReciprocalRank,
  expectedSetMetrics,
} from './tie-aware.js';

/** Averages a metric of the 0-based rank over every rank the tie-break can give. */
function bruteForce(greater: number, equal: number, metric: (rank: number) => number): number {
  let sum = 0;
  for (let r = greater; r <= greater + equal; r++) sum += metric(r);
  return sum / (equal + 1);
}

describe('tie-aware expectations', () => {
  it('equal the plain metric when there is no tie', () => {
    expect(expectedHit({ greater: 3, equal: 0 }, 10)).toBe(1);
    expect(expectedHit({ greater: 10, equal: 0 }, 10)).toBe(0);
    expect(expectedDiscountedGain({ greater: 2, equal: 0 }, 10)).toBeCloseTo(0.5, 12);
    expect(expectedReciprocalRank({ greater: 4, equal: 0 })).toBeCloseTo(0.2, 12);
  });

  it('average over a tie that straddles the cut-off', () => {
    // target tied with 4 others at ranks 8..12: 2 of 5 placements are inside the top 10
    expect(expectedHit({ greater: 8, equal: 4 }, 10)).toBeCloseTo(2 / 5, 12);
    expect(expectedDiscountedGain({ greater: 8, equal: 4 }, 10)).toBeCloseTo(
      (discount(8) + discount(9)) / 5,
      12,
    );
  });

  it('agree with brute-force enumeration on many positions', () => {
    for (const greater of [0, 1, 5, 9, 20]) {
      for (const equal of [0, 1, 3, 15]) {
        const pos = { greater, equal };
        expect(expectedHit(pos, 10)).toBeCloseTo(
          bruteForce(greater, equal, (r) => (r < 10 ? 1 : 0)),
          12,
        );
        expect(expectedDiscountedGain(pos, 10)).toBeCloseTo(
          bruteForce(greater, equal, (r) => (r < 10 ? discount(r) : 0)),
          12,
        );
        expect(expectedReciprocalRank(pos)).toBeCloseTo(
          bruteForce(greater, equal, (r) => 1 / (r + 1)),
          12,
        );
      }
    }
  });

  it('a fully tied catalogue gives the random-ranking expectation', () => {
    // 100 candidates all equal: P(top 10) = 10 / 100
    expect(expectedHit({ greater: 0, equal: 99 }, 10)).toBeCloseTo(0.1, 12);
  });

  it('set metrics are means of the per-item marginals', () => {
    const set = expectedSetMetrics(
      [
        { greater: 0, equal: 0 },
        { greater: 30, equal: 0 },
      ],
      10,
    );
    expect(set.recall).toBeCloseTo(0.5, 12);
    expect(set.precision).toBeCloseTo(0.1, 12);
    expect(set.ndcg).toBeCloseTo(1 / (1 + discount(1)), 12);
  });
});
