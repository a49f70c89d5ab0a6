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
import { FusedConfig } from './config.js';
import { createFusedEncoder } from './inference.js';
import { FusedNetwork } from './network.js';

const NUM_ITEMS = 30;

beforeAll(async () => {
  await initBackend();
});

describe('fused long/short-term model', () => {
  it.each([
    ['without time gaps', false],
    ['with time gaps', true],
  ])('plain-TS inference equals the tfjs graph at the last position (%s)', (_, useTimeGaps) => {
    const config = FusedConfig.parse({ longTerm: { maxLength: 12, dim: 8, useTimeGaps }, shortWindow: 4 });
    const network = new FusedNetwork(config, NUM_ITEMS, 3);
    randomizeVariables(network, 9);
    const histories = [2, 5, 12, 20].map((n, k) => randomHistory(n, NUM_ITEMS, k + 1));
    const expected = lastHidden(network, leftPaddedBatch(histories, 12));
    const encoder = createFusedEncoder(config, NUM_ITEMS, readWeights(network));
    histories.forEach((h, b) => {
      const out = new Float32Array(8);
      encoder.encode(h.items, out, h.timestamps, h.types);
      for (let k = 0; k < 8; k++) expect(out[k]).toBeCloseTo(expected[b][k], 4);
      const a = encoder.lastDiagnostics?.().a ?? Number.NaN;
      expect(a).toBeGreaterThan(0);
      expect(a).toBeLessThan(1);
    });
  });

  it('every variable, the fusion ones included, gets a finite non-zero gradient', () => {
    const config = FusedConfig.parse({ longTerm: { maxLength: 10, dim: 8, dropout: 0 }, shortWindow: 3 });
    const network = new FusedNetwork(config, NUM_ITEMS, 4);
    randomizeVariables(network, 2, 0.3);
    const batch = leftPaddedBatch([randomHistory(10, NUM_ITEMS, 1), randomHistory(6, NUM_ITEMS, 2)], 10);
    const variables = [...network.variables.values()];
    const { grads } = tf.variableGrads(
      () => network.hidden(batch, true).square().sum() as tf.Scalar,
      variables,
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

  it('the gate starts near the long-term model (sigmoid of gateBiasInit)', () => {
    const config = FusedConfig.parse({ longTerm: { maxLength: 10, dim: 8 }, gateBiasInit: -6 });
    const network = new FusedNetwork(config, NUM_ITEMS, 5);
    const encoder = createFusedEncoder(config, NUM_ITEMS, readWeights(network));
    encoder.encode(randomHistory(9, NUM_ITEMS, 3).items, new Float32Array(8));
    expect(encoder.lastDiagnostics?.().a).toBeLessThan(0.05);
  });
});
