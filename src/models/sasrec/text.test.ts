/**
 * Text-aware SASRec: item embeddings E_id + T · P. The plain-TS encoder, given the exported (fused)
 * weights, reproduces the network; an item's scored row is its ID row plus its projected text.
 */
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  disposeNetwork,
  lastHidden,
  leftPaddedBatch,
  randomHistory,
  randomizeVariables,
  readWeights,
} from '../../../test/fixtures/neural.js';
import { Rng } from '../../core/random.js';
import { initBackend } from '../../nn/backend.js';
import { maxAbsDifference } from '../../nn/grad-check.js';
import { SasRecConfig } from './config.js';
import { createEncoder } from './inference.js';
import { SasRecNetwork } from './network.js';

const NUM_ITEMS = 30;
const TEXT_DIM = 6;
const config = SasRecConfig.parse({ maxLength: 8, dim: 10, heads: 2, textDim: TEXT_DIM, useTimeGaps: true });

function textVectors(seed: number) {
  const rng = new Rng(seed);
  return { dim: TEXT_DIM, vectors: Float32Array.from({ length: NUM_ITEMS * TEXT_DIM }, () => rng.normal()) };
}

beforeAll(async () => {
  await initBackend();
});

describe('text-aware SASRec', () => {
  it('scores item i with E_id[i] + T[i] · P', () => {
    const text = textVectors(3);
    const network = new SasRecNetwork(config, NUM_ITEMS, 7, text);
    randomizeVariables(network, 5);
    const weights = readWeights(network);
    const table = network.outputTable();
    const rows = table.dataSync() as Float32Array;
    table.dispose();
    const ids = weights.get('item_embedding')!.data;
    const projection = weights.get('text_projection')!.data;
    const d = config.dim;
    for (const item of [0, 7, 29]) {
      for (let c = 0; c < d; c++) {
        let expected = ids[(item + 1) * d + c];
        for (let t = 0; t < TEXT_DIM; t++)
          expected += text.vectors[item * TEXT_DIM + t] * projection[t * d + c];
        expect(rows[(item + 1) * d + c]).toBeCloseTo(expected, 4);
      }
    }
    disposeNetwork(network);
  });

  it('the plain-TS encoder on the exported weights equals hidden(..., false)', () => {
    const network = new SasRecNetwork(config, NUM_ITEMS, 7, textVectors(3));
    randomizeVariables(network, 11);
    const weights = readWeights(network);
    network.inferenceWeights(weights);
    const encoder = createEncoder(config, NUM_ITEMS, weights);
    const histories = [1, 4, 8, 12].map((length, i) => randomHistory(length, NUM_ITEMS, 40 + i));
    const expected = lastHidden(network, leftPaddedBatch(histories, config.maxLength));
    const out = new Float32Array(config.dim);
    histories.forEach(({ items, timestamps }, b) => {
      encoder.encode(items, out, timestamps);
      expect(maxAbsDifference(out, expected[b])).toBeLessThan(1e-4);
    });
    // the text changes the representation: another text, another user vector
    const other = new SasRecNetwork(config, NUM_ITEMS, 7, textVectors(4));
    randomizeVariables(other, 11);
    const [first] = lastHidden(other, leftPaddedBatch(histories.slice(0, 1), config.maxLength));
    expect(maxAbsDifference(first, expected[0])).toBeGreaterThan(1e-3);
    disposeNetwork(network);
    disposeNetwork(other);
  });

  it('drops ID embeddings only in training calls, the same way for the same seed and call', () => {
    const network = new SasRecNetwork({ ...config, dropout: 0 }, NUM_ITEMS, 7, textVectors(3));
    randomizeVariables(network, 11);
    const batch = leftPaddedBatch([randomHistory(8, NUM_ITEMS, 1)], config.maxLength);
    const run = (training: boolean) =>
      tf.tidy(() => network.hidden(batch, training).dataSync() as Float32Array);
    const inference = run(false);
    expect(maxAbsDifference(run(false), inference)).toBe(0);
    expect(maxAbsDifference(run(true), inference)).toBeGreaterThan(1e-4);
    disposeNetwork(network);
  });

  it('refuses to build without text vectors of the right size, naming textDim', () => {
    expect(() => new SasRecNetwork(config, NUM_ITEMS, 7)).toThrow(
      /textDim 6 needs text vectors of 30 items x 6/,
    );
    expect(() => new SasRecNetwork(config, NUM_ITEMS + 1, 7, textVectors(3))).toThrow(/textDim/);
  });
});
