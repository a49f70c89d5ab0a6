import { describe, expect, it } from 'vitest';
import { categoryMass } from './category-mass.js';

describe('categoryMass', () => {
  it('sums the softmax of the scores per category, an item shared among its categories', () => {
    const items = [{ categories: ['a'] }, { categories: ['a', 'b'] }, { categories: ['c'] }, undefined];
    const scores = Float32Array.from([Math.log(2), Math.log(2), 0, 5]);
    const out = new Float32Array(2);
    categoryMass(scores, items, ['a', 'b'], out);
    // item 2 ('c', not listed) and item 3 (no categories) take no part: p = 2/4, 2/4 over items 0-1
    expect(out[0]).toBeCloseTo(0.5 + 0.25, 6);
    expect(out[1]).toBeCloseTo(0.25, 6);
  });

  it('leaves out items that cannot be recommended', () => {
    const out = new Float32Array(2);
    categoryMass(
      Float32Array.from([Number.NEGATIVE_INFINITY, 1]),
      [{ categories: ['a'] }, { categories: ['b'] }],
      ['a', 'b'],
      out,
    );
    expect(Array.from(out)).toEqual([0, 1]);
  });
});
