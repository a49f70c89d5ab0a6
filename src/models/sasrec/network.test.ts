/**
 * The tfjs network: causal and blind to left padding, every variable trained by backprop on wasm (the
 * same gradients as on the cpu backend), seeded dropout only in training.
 */
import type * as tfjs from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  disposeNetwork,
  leftPaddedBatch,
  randomHistory,
  randomizeVariables,
} from '../../../test/fixtures/neural.js';
import { initBackend, runOnBackend } from '../../nn/backend.js';
import { maxAbsDifference, weightedSum } from '../../nn/grad-check.js';
import type { SequenceBatch } from '../neural/network.js';
import { SasRecConfig } from './config.js';
import { SasRecNetwork } from './network.js';

const NUM_ITEMS = 30;
const CONFIG = SasRecConfig.parse({
  maxLength: 12,
  dim: 8,
  heads: 2,
  dropout: 0.3,
  useTimeGaps: true,
  useTypes: true,
});
const HISTORIES = [2, 6, 9, 15].map((length, i) => randomHistory(length, NUM_ITEMS, 40 + i));

let tf: typeof tfjs;
beforeAll(async () => {
  tf = await initBackend();
});

function hidden(network: SasRecNetwork, batch: SequenceBatch, training = false): Float32Array {
  const states = network.hidden(batch, training);
  const values = states.dataSync() as Float32Array;
  states.dispose();
  return values;
}

describe('SasRecNetwork.hidden', () => {
  it('is causal: changing input t leaves positions before t unchanged', () => {
    const network = new SasRecNetwork(CONFIG, NUM_ITEMS, 1);
    randomizeVariables(network, 2);
    const batch = leftPaddedBatch(HISTORIES, 10);
    const changed = { ...batch, inputs: batch.inputs.slice() };
    const t = 7;
    for (let b = 0; b < batch.batchSize; b++)
      changed.inputs[b * 10 + t] = (batch.inputs[b * 10 + t] % NUM_ITEMS) + 1;
    const [before, after] = [hidden(network, batch), hidden(network, changed)];
    const d = CONFIG.dim;
    for (let b = 0; b < batch.batchSize; b++) {
      const row = (from: number, to: number) => [(b * 10 + from) * d, (b * 10 + to) * d] as const;
      expect(maxAbsDifference(before.subarray(...row(0, t)), after.subarray(...row(0, t)))).toBeLessThan(
        1e-6,
      );
      expect(maxAbsDifference(before.subarray(...row(t, 10)), after.subarray(...row(t, 10)))).toBeGreaterThan(
        1e-3,
      );
    }
    disposeNetwork(network);
  });

  it('gives the same last position whatever the extra left padding', () => {
    const network = new SasRecNetwork(CONFIG, NUM_ITEMS, 1);
    randomizeVariables(network, 3);
    const short = HISTORIES.slice(0, 2); // 2 and 6 events
    const d = CONFIG.dim;
    const last = (length: number) => {
      const states = hidden(network, leftPaddedBatch(short, length));
      return short.map((_, b) => states.slice((b * length + length - 1) * d, (b * length + length) * d));
    };
    const [tight, padded] = [last(6), last(12)];
    for (let b = 0; b < short.length; b++) expect(maxAbsDifference(tight[b], padded[b])).toBeLessThan(1e-5);
    disposeNetwork(network);
  });

  it('gives every variable a finite, non-zero gradient on wasm, equal to the cpu backend', async () => {
    const batch = leftPaddedBatch(HISTORIES, 10);
    const gradients = (t: typeof tfjs): Map<string, Float32Array> => {
      const network = new SasRecNetwork(CONFIG, NUM_ITEMS, 4);
      randomizeVariables(network, 5);
      const byName = new Map<string, Float32Array>();
      t.tidy(() => {
        const { grads } = t.variableGrads(
          () => weightedSum(network.hidden(batch, true)),
          [...network.variables.values()],
        );
        for (const [name, variable] of network.variables)
          byName.set(name, grads[variable.name].dataSync() as Float32Array);
      });
      disposeNetwork(network);
      return byName;
    };
    const onWasm = gradients(tf);
    const onCpu = await runOnBackend('cpu', gradients);
    expect(onWasm.size).toBe(onCpu.size);
    for (const [name, gradient] of onWasm) {
      const largest = gradient.reduce((m, g) => Math.max(m, Math.abs(g)), 0);
      expect(gradient.every(Number.isFinite), name).toBe(true);
      expect(largest, name).toBeGreaterThan(1e-6);
      expect(maxAbsDifference(gradient, onCpu.get(name)!) / largest, name).toBeLessThan(1e-3);
    }
  });

  it('drops out only in training, with masks reproducible from the seed', () => {
    const batch = leftPaddedBatch(HISTORIES, 10);
    const [a, b] = [new SasRecNetwork(CONFIG, NUM_ITEMS, 9), new SasRecNetwork(CONFIG, NUM_ITEMS, 9)];
    const evaluation = hidden(a, batch);
    expect(maxAbsDifference(hidden(a, batch), evaluation)).toBe(0);
    const [first, second] = [hidden(a, batch, true), hidden(a, batch, true)];
    expect(maxAbsDifference(first, evaluation)).toBeGreaterThan(1e-2);
    expect(maxAbsDifference(second, first)).toBeGreaterThan(1e-2);
    hidden(b, batch); // evaluation draws no mask
    expect(maxAbsDifference(hidden(b, batch, true), first)).toBe(0);
    expect(maxAbsDifference(hidden(b, batch, true), second)).toBe(0);
    disposeNetwork(a);
    disposeNetwork(b);
  });

  it('rejects a window longer than maxLength and an unknown item id, naming them', () => {
    const network = new SasRecNetwork(CONFIG, NUM_ITEMS, 1);
    expect(() => network.hidden(leftPaddedBatch(HISTORIES, 13), false)).toThrow(/length 13.*maxLength 12/);
    const batch = leftPaddedBatch(HISTORIES, 10);
    batch.inputs[5] = NUM_ITEMS + 1;
    expect(() => network.hidden(batch, false)).toThrow(/input id 31 at 5 is outside \[0, 30\]/);
    disposeNetwork(network);
  });
});
