import { describe, expect, it } from 'vitest';
import type { EvalCase } from '../data/split.js';
import type { CategoryPredictor } from '../models/model.js';
import { evaluateCategories } from './categories.js';

/** A predictor that always says P = `distribution` over the categories a, b, c. */
function always(distribution: number[]): CategoryPredictor {
  return {
    categoryNames: () => ['a', 'b', 'c'],
    categoryDistribution: (_query, out) => out.set(distribution),
  };
}

const corpus = { timestamps: null } as never;
const cases = (targets: number[]) =>
  targets.map((target) => ({
    user: 0,
    history: new Int32Array(0),
    historyStart: 0,
    historyEnd: 0,
    target,
  })) as unknown as EvalCase[];

describe('category metrics', () => {
  it('macro-F1 weighs each category alike, where accuracy follows the common one', () => {
    // items 0-2 are in a, b, c; 8 targets in a, 1 in b, 1 in c; the predictor always says a
    const metrics = evaluateCategories(
      always([0.6, 0.3, 0.1]),
      cases([0, 0, 0, 0, 0, 0, 0, 0, 1, 2]),
      corpus,
      [['a'], ['b'], ['c']],
    );
    expect(metrics['Category accuracy']).toBeCloseTo(0.8, 10);
    // a: 8 true positives, 10 predicted, 8 actual -> F1 16/18; b and c: 0
    expect(metrics['Category macro-F1']).toBeCloseTo(16 / 18 / 3, 10);
  });

  it('counts the m most likely categories against a target with m categories', () => {
    // the target is in a and b; the two most likely are a and c: a hit, c a false positive, b missed
    const metrics = evaluateCategories(always([0.5, 0.1, 0.4]), cases([0]), corpus, [['a', 'b']]);
    expect(metrics['Category accuracy']).toBe(1);
    expect(metrics['Category macro-F1']).toBeCloseTo((1 + 0 + 0) / 3, 10);
  });
});
