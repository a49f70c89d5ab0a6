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
import { FacetsConfig } from './config.js';
import { createFacetsEncoder } from './inference.js';
import { FacetsNetwork } from './network.js';

const NUM_ITEMS = 30;

beforeAll(async () => {
  await initBackend();
});

describe('interest facets', () => {
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
    expect(Array.from(a.slice(0, 7 * 8))).toEqual(Array.from(b.slice(0, 7 * 8)));
    expect(Array.from(a.slice(7 * 8))).not.toEqual(Array.from(b.slice(7 * 8)));
  });
});
