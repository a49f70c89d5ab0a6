import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  lastHidden,
  leftPaddedBatch,
  randomHistory,
  randomizeVariables,
  readWeights,
} from '../../../test/fixtures/neural.js';
import { initBackend } from '../../nn/index.js';
import { createEncoder as createSasRecEncoder } from '../sasrec/inference.js';
import { FACET_WEIGHTS, FacetsConfig } from './config.js';
import { createFacetsEncoder } from './inference.js';
import { FacetsNetwork } from './network.js';

const NUM_ITEMS = 30;

beforeAll(async () => {
  await initBackend();
});

describe('interest facets', () => {
  it.each([false, true])(
    'on a SASRec: plain-TS inference equals the tfjs graph, its state now the last component (time gaps: %s)',
    (useTimeGaps) => {
      const config = FacetsConfig.parse({
        facets: 3,
        attentionDim: 6,
        sasrec: { maxLength: 12, dim: 8, useTimeGaps },
      });
      expect([config.dim, config.maxLength, config.useTimeGaps]).toEqual([8, 12, useTimeGaps]);
      const network = new FacetsNetwork(config, NUM_ITEMS, 2);
      randomizeVariables(network, 4);
      const histories = [1, 5, 12, 20].map((n, k) => randomHistory(n, NUM_ITEMS, k + 3));
      const expected = lastHidden(network, leftPaddedBatch(histories, 12));
      const weights = readWeights(network);
      const encoder = createFacetsEncoder(config, NUM_ITEMS, weights);
      const sasrec = createSasRecEncoder(config.sasrec!, NUM_ITEMS, weights);
      histories.forEach((h, b) => {
        const out = new Float32Array(8);
        encoder.encode(h.items, out, h.timestamps);
        for (let k = 0; k < 8; k++) expect(out[k]).toBeCloseTo(expected[b][k], 4);
        const { weights: w, vectors } = encoder.lastFacets();
        expect(w).toHaveLength(4);
        expect(w.reduce((s, x) => s + x, 0)).toBeCloseTo(1, 5);
        const now = new Float32Array(8);
        sasrec.encode(h.items, now, h.timestamps);
        expect(Array.from(vectors.subarray(24))).toEqual(Array.from(now));
      });
    },
  );

  it.each([false, true])(
    'plain-TS inference equals the tfjs graph at the last position (time gaps: %s)',
    (useTimeGaps) => {
      const config = FacetsConfig.parse({ maxLength: 12, dim: 8, facets: 3, attentionDim: 6, useTimeGaps });
      const network = new FacetsNetwork(config, NUM_ITEMS, 2);
      randomizeVariables(network, 4);
      const histories = [1, 5, 12, 20].map((n, k) => randomHistory(n, NUM_ITEMS, k + 3));
      const expected = lastHidden(network, leftPaddedBatch(histories, 12));
      const encoder = createFacetsEncoder(config, NUM_ITEMS, readWeights(network));
      histories.forEach((h, b) => {
        const out = new Float32Array(8);
        encoder.encode(h.items, out, h.timestamps);
        for (let k = 0; k < 8; k++) expect(out[k]).toBeCloseTo(expected[b][k], 4);
        const { weights } = encoder.lastFacets();
        expect(weights.reduce((s, w) => s + w, 0)).toBeCloseTo(1, 5);
        expect(Object.keys(encoder.lastDiagnostics?.() ?? {})).toEqual(['facet 0', 'facet 1', 'facet 2']);
      });
    },
  );

  it('every variable gets a finite non-zero gradient', () => {
    const config = FacetsConfig.parse({
      maxLength: 10,
      dim: 8,
      facets: 3,
      attentionDim: 6,
      dropout: 0,
      useTimeGaps: true,
    });
    const network = new FacetsNetwork(config, NUM_ITEMS, 3);
    randomizeVariables(network, 5, 0.3);
    const batch = leftPaddedBatch([randomHistory(10, NUM_ITEMS, 1), randomHistory(4, NUM_ITEMS, 2)], 10);
    const { grads } = tf.variableGrads(
      () => network.hidden(batch, true).square().sum() as tf.Scalar,
      [...network.variables.values()],
    );
    for (const [name, variable] of network.variables) {
      const grad = grads[variable.name].dataSync();
      expect(grad.every(Number.isFinite), name).toBe(true);
      expect(
        grad.some((g) => g !== 0),
        name,
      ).toBe(true);
    }
  });

  it('stays finite, values and gradients, when the attention logits spread far apart', () => {
    // early positions of a long window scoring hundreds below a later one: their causal sums must
    // not underflow to 0 / 0 (a long ML-1M history diverged to NaN that way)
    const config = FacetsConfig.parse({ maxLength: 40, dim: 8, facets: 3, attentionDim: 6, dropout: 0 });
    const network = new FacetsNetwork(config, NUM_ITEMS, 3);
    randomizeVariables(network, 7);
    const out = network.variables.get(FACET_WEIGHTS.attentionOut)!;
    tf.tidy(() => out.assign(out.mul(2000)));
    const batch = leftPaddedBatch([randomHistory(40, NUM_ITEMS, 5), randomHistory(25, NUM_ITEMS, 6)], 40);
    const { value, grads } = tf.variableGrads(
      () => network.hidden(batch, true).square().sum() as tf.Scalar,
      [...network.variables.values()],
    );
    expect(Number.isFinite(value.dataSync()[0])).toBe(true);
    for (const [name, variable] of network.variables)
      expect(grads[variable.name].dataSync().every(Number.isFinite), name).toBe(true);
  });

  it.each([
    ['soft', true],
    ['hard', false],
    ['mixed', false],
  ] as const)('routing %s: training mixes the facets as inference does: %s', (routing, same) => {
    const config = FacetsConfig.parse({
      maxLength: 8,
      dim: 8,
      facets: 3,
      attentionDim: 6,
      dropout: 0,
      routing,
    });
    const network = new FacetsNetwork(config, NUM_ITEMS, 7);
    randomizeVariables(network, 8, 0.5);
    const history = randomHistory(8, NUM_ITEMS, 4);
    const batch = leftPaddedBatch([history], 8);
    const [trained, served] = [true, false].map((training) =>
      tf.tidy(() => Array.from(network.hidden(batch, training).dataSync())),
    );
    const largestGap = Math.max(...trained.map((x, i) => Math.abs(x - served[i])));
    if (same) expect(largestGap).toBeLessThan(1e-6);
    else expect(largestGap).toBeGreaterThan(1e-3);
  });

  it('a facet pools only the past: later items do not change earlier positions', () => {
    const config = FacetsConfig.parse({ maxLength: 8, dim: 8, facets: 2, attentionDim: 4 });
    const network = new FacetsNetwork(config, NUM_ITEMS, 4);
    randomizeVariables(network, 6);
    const base = randomHistory(8, NUM_ITEMS, 7);
    const changed = {
      ...base,
      items: Int32Array.from(base.items, (x, i) => (i === 7 ? (x + 1) % NUM_ITEMS : x)),
    };
    const [a, b] = [base, changed].map((h) => network.hidden(leftPaddedBatch([h], 8), false).dataSync());
    // equal to float rounding: each facet's logits are shifted by their max over the whole window
    for (let i = 0; i < 7 * 8; i++) expect(a[i]).toBeCloseTo(b[i], 6);
    expect(Array.from(a.slice(7 * 8))).not.toEqual(Array.from(b.slice(7 * 8)));
  });

  it('a facet with a high recency rate follows the latest items, one with a low rate the whole history', () => {
    const config = FacetsConfig.parse({ maxLength: 20, dim: 8, facets: 2, attentionDim: 4 });
    const network = new FacetsNetwork(config, NUM_ITEMS, 5);
    randomizeVariables(network, 8);
    const weights = readWeights(network);
    weights.get(FACET_WEIGHTS.attentionOut)!.data.fill(0); // the same attention for every item
    weights.get(FACET_WEIGHTS.recency)!.data.set([20, -20]); // λ ≈ 0.15 and ≈ 0
    const encoder = createFacetsEncoder(config, NUM_ITEMS, weights);
    const history = Int32Array.from({ length: 20 }, (_, i) => (i < 15 ? i % 5 : 10 + (i % 2)));
    encoder.encode(history, new Float32Array(8));
    const { vectors } = encoder.lastFacets();
    const items = weights.get(FACET_WEIGHTS.items)!.data;
    const mean = (from: number, to: number) =>
      Array.from({ length: 8 }, (_, j) => {
        let sum = 0;
        for (let s = from; s < to; s++) sum += items[(history[s] + 1) * 8 + j];
        return sum / (to - from);
      });
    const distance = (facet: number, target: number[]) =>
      Math.hypot(...target.map((x, j) => vectors[facet * 8 + j] - x));
    const [recent, whole] = [mean(15, 20), mean(0, 20)];
    expect(distance(1, whole)).toBeLessThan(1e-4); // λ ≈ 0: the plain mean
    // λ = 0.15: the last 5 of 20 items hold ~60% of the weight instead of 25%
    expect(distance(0, recent)).toBeLessThan(0.8 * distance(1, recent));
  });
});
