import { describe, expect, it } from 'vitest';
import { shifts, smoothed, top, totalVariation } from './shifts.js';

const point = (categories: Record<string, number>) => ({ categories });
const repeat = (n: number, categories: Record<string, number>) =>
  Array.from({ length: n }, () => point(categories));

describe('interest shifts', () => {
  it('marks where the smoothed leader changes, with the distance between windows', () => {
    const found = shifts([
      ...repeat(4, { jazz: 0.8, hiking: 0.2 }),
      ...repeat(4, { jazz: 0.2, hiking: 0.8 }),
    ]);
    expect(found).toHaveLength(1);
    expect(found[0]).toMatchObject({ index: 6, reason: 'top', from: 'jazz', to: 'hiking' });
    expect(found[0].distance).toBeCloseTo(0.45);
  });

  it('ignores one-point spikes and near-ties', () => {
    const noisy = Array.from({ length: 12 }, (_, i) =>
      point(i % 2 === 0 ? { jazz: 0.6, hiking: 0.4 } : { jazz: 0.4, hiking: 0.6 }),
    );
    expect(shifts(noisy)).toEqual([]);
  });

  it('marks a move of the mix that keeps the leader once, counting missing categories as 0', () => {
    const found = shifts([
      ...repeat(4, { jazz: 0.9, hiking: 0.1 }),
      ...repeat(4, { jazz: 0.55, cooking: 0.45 }),
    ]);
    expect(found).toHaveLength(1);
    expect(found[0]).toMatchObject({ index: 7, reason: 'distance', from: 'jazz', to: 'jazz' });
    expect(found[0].distance).toBeCloseTo(0.45);
  });

  it('smooths with trailing means and measures the top category and total variation', () => {
    expect(smoothed([point({ a: 1 }), point({ b: 1 })])).toEqual([{ a: 1 }, { a: 0.5, b: 0.5 }]);
    expect(top({})).toBe('');
    expect(top({ a: 0.1, b: 0.6, c: 0.3 })).toBe('b');
    expect(totalVariation({ a: 1 }, { b: 1 })).toBe(1);
    expect(totalVariation({ a: 0.5, b: 0.5 }, { a: 0.5, b: 0.5 })).toBe(0);
  });
});
