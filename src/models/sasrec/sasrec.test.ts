/**
 * The plain-TS encoder reproduces the tfjs network's `hidden(..., false)` at the last position, on random
 * weights, for every window shape (empty, shorter than, equal to and longer than maxLength) and feature set.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import {
  disposeNetwork,
  lastHidden,
  leftPaddedBatch,
  randomHistory,
  randomizeVariables,
  readWeights,
} from '../../../test/fixtures/neural.js';
import { initBackend } from '../../nn/backend.js';
import { maxAbsDifference } from '../../nn/grad-check.js';
import type { SequenceBatch } from '../neural/network.js';
import { SasRecConfig } from './config.js';
import { createEncoder } from './inference.js';
import { SasRecNetwork } from './network.js';

const NUM_ITEMS = 30;
const MAX_LENGTH = 8;
// dim 10: column blocks of the 4-wide kernels do not divide it, nor the 5-wide heads.
const BASE = { maxLength: MAX_LENGTH, dim: 10, blocks: 2, dropout: 0.3 };
const LENGTHS = [0, 1, 3, 5, 8, 13];

beforeAll(async () => {
  await initBackend();
});

const FEATURES = { useTimeGaps: true, useTypes: true };

// The first block runs from tables unless tableBudget is 0; middle blocks (3 blocks) from products.
describe.each([
  ['one head', { heads: 1 }, {}],
  ['two heads', { heads: 2 }, {}],
  ['one head, time gaps and types', { heads: 1, ...FEATURES }, {}],
  ['two heads, time gaps and types', { heads: 2, ...FEATURES }, {}],
  ['one head, no tables', { heads: 1, ...FEATURES }, { tableBudget: 0 }],
  ['two heads, no tables', { heads: 2, ...FEATURES }, { tableBudget: 0 }],
  ['three blocks', { heads: 1, blocks: 3, ...FEATURES }, {}],
  ['one block', { heads: 2, blocks: 1, ...FEATURES }, {}],
])('the plain-TS encoder, %s', (_label, options, encoderOptions) => {
  const config = SasRecConfig.parse({ ...BASE, ...options });

  it('equals hidden(..., false) at the last position within 1e-4', () => {
    const network = new SasRecNetwork(config, NUM_ITEMS, 7);
    randomizeVariables(network, 11);
    const encoder = createEncoder(config, NUM_ITEMS, readWeights(network), encoderOptions);
    const histories = LENGTHS.map((length, i) => randomHistory(length, NUM_ITEMS, 100 + i));
    const out = new Float32Array(config.dim);
    const check = (batch: SequenceBatch, withFeatures: boolean, count: number) => {
      const expected = lastHidden(network, batch);
      for (let b = 0; b < count; b++) {
        const { items, timestamps, types } = histories[b];
        if (withFeatures) encoder.encode(items, out, timestamps, types);
        else encoder.encode(items, out);
        expect(maxAbsDifference(out, expected[b])).toBeLessThan(1e-4);
      }
    };
    check(leftPaddedBatch(histories, MAX_LENGTH), true, histories.length);
    // A window shorter than maxLength (the histories that fit in it).
    check(leftPaddedBatch(histories.slice(0, 4), 5), true, 4);
    // No times and no types: gaps 0, every event a plain view.
    check(
      { ...leftPaddedBatch(histories, MAX_LENGTH), timeGaps: null, types: null },
      false,
      histories.length,
    );
    disposeNetwork(network);
  });
});

describe('the plain-TS encoder', () => {
  it('differs between histories (the comparison above is not vacuous)', () => {
    const config = SasRecConfig.parse(BASE);
    const network = new SasRecNetwork(config, NUM_ITEMS, 7);
    randomizeVariables(network, 11);
    const encoder = createEncoder(config, NUM_ITEMS, readWeights(network));
    const [a, b] = [new Float32Array(config.dim), new Float32Array(config.dim)];
    encoder.encode(Int32Array.from([1, 2, 3]), a);
    encoder.encode(Int32Array.from([1, 2, 4]), b);
    expect(maxAbsDifference(a, b)).toBeGreaterThan(1e-3);
    disposeNetwork(network);
  });
});
