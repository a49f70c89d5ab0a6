import { describe, expect, it } from 'vitest';
import { Rng } from '../core/random.js';
import { Moments } from './score-moments.js';

describe('Moments', () => {
  it('gives the mean and std of q · x over the rows without scoring them, and takes rows back', () => {
    const rng = new Rng(5);
    const width = 7;
    const rows = Float32Array.from({ length: 300 * width }, () => rng.normal() + 0.3);
    const moments = new Moments(width);
    moments.addRows(rows, 1);
    const q = Float32Array.from({ length: width }, () => rng.normal());
    const direct = (count: number) => {
      const scores = Array.from({ length: count }, (_, i) =>
        rows.subarray(i * width, (i + 1) * width).reduce((s, x, d) => s + x * q[d], 0),
      );
      const mean = scores.reduce((a, b) => a + b, 0) / count;
      const std = Math.sqrt(scores.reduce((a, s) => a + (s - mean) ** 2, 0) / count);
      return { mean, std };
    };
    const all = moments.scoreStats(q);
    expect(all.mean).toBeCloseTo(direct(300).mean, 4);
    expect(all.std).toBeCloseTo(direct(300).std, 4);
    moments.addRows(rows.subarray(200 * width), -1);
    expect(moments.size).toBe(200);
    expect(moments.scoreStats(q).mean).toBeCloseTo(direct(200).mean, 4);
    expect(moments.scoreStats(q).std).toBeCloseTo(direct(200).std, 4);
  });
});
