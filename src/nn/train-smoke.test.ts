/**
 * End to end: a tiny embedding + self-attention + softmax model trained a few Adam steps on wasm
 * (gather's gradient through UnsortedSegmentSum, transposed and batched products through the patched
 * BatchMatMul) learns, and follows the cpu backend step by step.
 */
import type * as tfjs from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { initBackend, runOnBackend } from './backend.js';
import { seededValues } from './grad-check.js';

const ITEMS = 12;
const DIM = 6;
const BATCH = 8;
const STEPS_PER_SEQUENCE = 4;
const ADAM_STEPS = 8;

let tf: typeof tfjs;
beforeAll(async () => {
  tf = await initBackend();
});

function itemIds(count: number, seed: number): Int32Array {
  return Int32Array.from(seededValues(count, seed), (v) => Math.floor(((v + 1) / 2) * ITEMS));
}

/** Loss after each Adam step, on the active backend of `t`. */
function trainLosses(t: typeof tfjs): number[] {
  // tidy keeps variables and the returned tensors, and frees the initial values and the id vector.
  const itemEmbeddings = t.tidy(() => t.variable(t.tensor2d(seededValues(ITEMS * DIM, 1), [ITEMS, DIM])));
  const outputWeights = t.tidy(() => t.variable(t.tensor2d(seededValues(DIM * ITEMS, 2), [DIM, ITEMS])));
  const sequences = t.tensor2d(itemIds(BATCH * STEPS_PER_SEQUENCE, 3), [BATCH, STEPS_PER_SEQUENCE], 'int32');
  const targets = t.tidy(() => t.oneHot(t.tensor1d(itemIds(BATCH, 4), 'int32'), ITEMS));
  const optimizer = t.train.adam(0.05);
  const loss = (): tfjs.Scalar => {
    const embedded = t.gather(itemEmbeddings, sequences); // [B, T, d]
    const attention = t.softmax(t.div(t.matMul(embedded, embedded, false, true), Math.sqrt(DIM))); // [B, T, T]
    const pooled = t.mean(t.matMul(attention, embedded), 1); // [B, d]
    return t.losses.softmaxCrossEntropy(targets, t.matMul(pooled, outputWeights));
  };
  const losses: number[] = [];
  for (let step = 0; step < ADAM_STEPS; step++) {
    const value = optimizer.minimize(loss, true);
    losses.push(value?.dataSync()[0] ?? Number.NaN);
    value?.dispose();
  }
  t.dispose([itemEmbeddings, outputWeights, sequences, targets]);
  optimizer.dispose();
  return losses;
}

describe('training a tiny model on wasm', () => {
  it('lowers the loss and matches the cpu backend step by step, without leaking tensors', async () => {
    const tensorsBefore = tf.memory().numTensors;
    const onWasm = trainLosses(tf);
    expect(tf.memory().numTensors).toBe(tensorsBefore);
    expect(onWasm[ADAM_STEPS - 1]).toBeLessThan(0.7 * onWasm[0]);

    const onCpu = await runOnBackend('cpu', trainLosses);
    for (const [step, loss] of onWasm.entries()) {
      expect(Math.abs(loss - onCpu[step])).toBeLessThan(1e-4 * Math.max(1, onCpu[step]));
    }
  });
});
