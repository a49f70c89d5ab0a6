/**
 * The plain-TS encoder and stepper reproduce the tfjs network (hidden(..., false) at the last position),
 * for both cells, tied and untied outputs, with and without time/type inputs, on histories shorter than,
 * equal to and longer than maxLength.
 */
import type * as tfjs from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  type History,
  leftPaddedBatch,
  randomHistory,
  randomizeVariables,
  readWeights,
} from '../../../test/fixtures/neural.js';
import { maxAbsDifference } from '../../nn/grad-check.js';
import { initBackend } from '../../nn/index.js';
import { type RnnCell, RnnConfig } from './config.js';
import { createEncoder, createRecurrentStepper } from './inference.js';
import { RnnNetwork } from './network.js';

const ITEMS = 15;
const MAX_LENGTH = 8;

let tf: typeof tfjs;
beforeAll(async () => {
  tf = await initBackend();
});

function config(cell: RnnCell, tiedOutput: boolean, features: boolean, layers = 1): RnnConfig {
  return RnnConfig.parse({
    cell,
    maxLength: MAX_LENGTH,
    embeddingDim: 6,
    hiddenDim: 5,
    layers,
    tiedOutput,
    useTimeGaps: features,
    useTypes: features,
  });
}

function network(c: RnnConfig, seed = 1): RnnNetwork {
  const net = new RnnNetwork(c, ITEMS, seed);
  randomizeVariables(net, seed + 100);
  return net;
}

/** hidden(batch, false)[b, t, :] for every row b, at position t. */
function tfjsStates(net: RnnNetwork, histories: History[], length: number, t: number): Float32Array[] {
  const all = tf.tidy(() => net.hidden(leftPaddedBatch(histories, length), false).arraySync());
  return all.map((row) => Float32Array.from(row[t]));
}

const HISTORIES = [
  randomHistory(3, ITEMS, 1),
  randomHistory(MAX_LENGTH, ITEMS, 2),
  randomHistory(13, ITEMS, 3),
];

const CASES: [RnnCell, boolean, boolean, number][] = [
  ['gru', false, false, 1],
  ['gru', true, true, 1],
  ['gru', false, true, 2],
  ['lstm', false, false, 1],
  ['lstm', true, true, 1],
  ['lstm', true, false, 2],
];

describe.each(CASES)('%s encoder (tied %s, time+type %s, layers %s)', (cell, tied, features, layers) => {
  const c = config(cell, tied, features, layers);

  it.each([
    ['a precomputed item input table', undefined],
    ['per-event input products', 0],
  ])(
    'matches tfjs hidden() at the last position for short, exact and long histories, with %s',
    (_, limit) => {
      const net = network(c);
      const expected = tfjsStates(net, HISTORIES, MAX_LENGTH, MAX_LENGTH - 1);
      const encoder = createEncoder(c, ITEMS, readWeights(net), { maxInputTableFloats: limit });
      expect(encoder.dim).toBe(tied ? 6 : 5);
      HISTORIES.forEach((h, b) => {
        const out = new Float32Array(encoder.dim);
        encoder.encode(h.items, out, h.timestamps, h.types);
        expect(maxAbsDifference(out, expected[b])).toBeLessThan(1e-4);
        expect(Math.max(...out.map(Math.abs))).toBeGreaterThan(1e-2); // not trivially zero
      });
    },
  );

  it('the stepper, one event at a time, gives what encode gives', () => {
    const weights = readWeights(network(c));
    const encoder = createEncoder(c, ITEMS, weights);
    const stepper = createRecurrentStepper(c, ITEMS, weights);
    const h = HISTORIES[1];
    const state = stepper.initialState();
    const fromStepper = new Float32Array(stepper.dim);
    const fromEncoder = new Float32Array(stepper.dim);
    for (let i = 0; i < h.items.length; i++) {
      const gapSeconds = i === 0 ? 0 : (h.timestamps[i] - h.timestamps[i - 1]) / 1000;
      stepper.step(state, h.items[i], gapSeconds, h.types[i]);
      stepper.readout(state, fromStepper);
      encoder.encode(h.items.subarray(0, i + 1), fromEncoder, h.timestamps.subarray(0, i + 1), h.types);
      expect(maxAbsDifference(fromStepper, fromEncoder)).toBeLessThan(1e-6);
    }
  });
});

describe('rnn inputs', () => {
  it('time gaps and types change the result when on, and are ignored when off', () => {
    const h = HISTORIES[1];
    const encode = (c: RnnConfig, withFeatures: boolean): Float32Array => {
      const out = new Float32Array(5);
      const encoder = createEncoder(c, ITEMS, readWeights(network(c)));
      if (withFeatures) encoder.encode(h.items, out, h.timestamps, h.types);
      else encoder.encode(h.items, out);
      return out;
    };
    const on = config('gru', false, true);
    const off = config('gru', false, false);
    expect(maxAbsDifference(encode(on, true), encode(on, false))).toBeGreaterThan(1e-3);
    expect(maxAbsDifference(encode(off, true), encode(off, false))).toBe(0);
  });

  it('left padding changes nothing: the same rows in a longer window give the same states', () => {
    for (const cell of ['gru', 'lstm'] as const) {
      const net = network(config(cell, false, true));
      const short = HISTORIES.slice(0, 2);
      const tight = tfjsStates(net, short, MAX_LENGTH, MAX_LENGTH - 1);
      const padded = tfjsStates(net, short, MAX_LENGTH + 5, MAX_LENGTH + 4);
      const alone = tfjsStates(net, [short[0]], MAX_LENGTH, MAX_LENGTH - 1);
      for (const [b, state] of tight.entries()) expect(maxAbsDifference(state, padded[b])).toBeLessThan(1e-6);
      expect(maxAbsDifference(alone[0], tight[0])).toBeLessThan(1e-6);
    }
  });

  it('rejects weights of the wrong shape and unknown items, naming them', () => {
    const c = config('lstm', false, false);
    const weights = readWeights(network(c));
    weights.delete('rnn0/bias');
    expect(() => createEncoder(c, ITEMS, weights)).toThrow(/rnn0\/bias should be \[20\], found nothing/);
    const stepper = createRecurrentStepper(c, ITEMS, readWeights(network(c)));
    expect(() => stepper.step(stepper.initialState(), ITEMS)).toThrow(/item 15 outside/);
    expect(() => stepper.step(stepper.initialState(), 0, 0, 6)).toThrow(/type code 6/);
    expect(() => stepper.step(new Float32Array(5), 0)).toThrow(/state of 5 values, expected 10/);
  });
});
