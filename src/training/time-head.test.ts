import { describe, expect, it } from 'vitest';
import { Rng } from '../core/random.js';
import {
  headCoefficients,
  TIME_CONTEXT_SIZE,
  type TimeHeadSamples,
  timeContext,
} from '../models/neural/time-head.js';
import { fitTimeHead, lossAndGradient, samplesNdcgAt10 } from './time-head.js';

const HOUR = 3_600_000;

/**
 * Requests after a short gap (minutes) whose next item is the model's favourite, and after a long one
 * (months) whose next item is the trend's: a head must learn to lean on the trend after long gaps.
 */
function plantedSamples(count: number, n = 30): TimeHeadSamples {
  const rng = new Rng(3);
  const features = 2;
  const trend = Float32Array.from({ length: features * n }, () => rng.next() * 2);
  const trendFavourite = trend.subarray(0, n).reduce((best, v, i, row) => (v > row[best] ? i : best), 0);
  const scores = new Float32Array(count * n);
  const targets = new Int32Array(count);
  const contexts = new Float32Array(count * TIME_CONTEXT_SIZE);
  for (let s = 0; s < count; s++) {
    const row = scores.subarray(s * n, (s + 1) * n);
    for (let i = 0; i < n; i++) row[i] = rng.normal();
    row[s % n] += 3; // the model's favourite
    row[(s + 1) % n] = Number.NEGATIVE_INFINITY; // a seen item
    const longGap = s % 2 === 1;
    targets[s] = longGap && trendFavourite !== (s + 1) % n ? trendFavourite : s % n;
    timeContext([0], longGap ? 2000 * HOUR : 0.1 * HOUR, 0, contexts.subarray(s * TIME_CONTEXT_SIZE));
  }
  return { scores, targets, contexts, trends: [trend], trendOf: new Int32Array(count), nItems: n };
}

describe('time head', () => {
  it('learns to lean on the trend after long gaps and on the model within a session', () => {
    const samples = plantedSamples(200);
    const fit = fitTimeHead(samples);
    expect(fit.lossAfter).toBeLessThan(fit.lossBefore - 0.3);
    const short = headCoefficients(
      fit.kernel,
      timeContext([0], 0.1 * HOUR, 0, new Float32Array(TIME_CONTEXT_SIZE)),
    );
    const long = headCoefficients(
      fit.kernel,
      timeContext([0], 2000 * HOUR, 0, new Float32Array(TIME_CONTEXT_SIZE)),
    );
    // the first trend feature carries the planted signal
    expect(long[1]).toBeGreaterThan(short[1] + 0.5);
    expect(1 + long[0]).toBeLessThan(1 + short[0]);
  });

  it('measures NDCG@10 of the samples with the model alone and with the head', () => {
    const samples = plantedSamples(200);
    // alone: the model's favourite is the target of every short-gap sample (half of them)
    const alone = samplesNdcgAt10(samples, null);
    expect(alone).toBeGreaterThan(0.45);
    expect(alone).toBeLessThan(0.75);
    expect(samplesNdcgAt10(samples, fitTimeHead(samples).kernel)).toBeGreaterThan(alone + 0.2);
  });

  it('has the gradient of its loss', () => {
    const samples = plantedSamples(12);
    const kernel = Float32Array.from({ length: 3 * TIME_CONTEXT_SIZE }, (_, k) => 0.1 * Math.sin(k + 1));
    const grad = new Float64Array(kernel.length);
    lossAndGradient(samples, kernel, grad);
    const scratch = new Float64Array(kernel.length);
    const eps = 1e-3;
    for (let k = 0; k < kernel.length; k++) {
      const plus = Float32Array.from(kernel);
      const minus = Float32Array.from(kernel);
      plus[k] += eps;
      minus[k] -= eps;
      const numeric =
        (lossAndGradient(samples, plus, scratch) - lossAndGradient(samples, minus, scratch)) / (2 * eps);
      expect(grad[k]).toBeCloseTo(numeric, 2);
    }
  });
});
