import { describe, expect, it } from 'vitest';
import { scheduledRate } from './schedule.js';

describe('learning-rate schedule', () => {
  it('constant keeps the rate; linear and cosine go from the rate to 0 over the planned steps', () => {
    const rate = (schedule: 'constant' | 'linear' | 'cosine', step: number) =>
      scheduledRate({ learningRate: 0.002, schedule }, step, 100);
    expect([0, 50, 100].map((step) => rate('constant', step))).toEqual([0.002, 0.002, 0.002]);
    expect([0, 25, 50, 100].map((step) => rate('linear', step))).toEqual([0.002, 0.0015, 0.001, 0]);
    expect(rate('cosine', 0)).toBe(0.002);
    expect(rate('cosine', 50)).toBeCloseTo(0.001, 12);
    expect(rate('cosine', 25)).toBeCloseTo(0.001 * (1 + Math.SQRT1_2), 12);
    expect(rate('cosine', 100)).toBeCloseTo(0, 12);
    // clamped outside the planned steps
    expect([rate('linear', -5), rate('linear', 120)]).toEqual([0.002, 0]);
  });
});
