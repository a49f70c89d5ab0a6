import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { initBackend } from '../backend.js';
import { heapCrossEntropy } from './heap-cross-entropy.js';

beforeAll(async () => {
  await initBackend();
});

describe('heapCrossEntropy', () => {
  it('turns a chunk of logits in place into the loss and its gradient, transposed too', () => {
    const bias = tf.tensor1d([0, 0, 0, Math.log(3)]);
    const crossEntropy = heapCrossEntropy(bias, 1);
    if (crossEntropy === null) throw new Error('the wasm backend with SIMD takes the heap route');
    const logits = tf.tensor2d([5, 0, 0, 0], [1, 4]); // column 0 is padding: softmax over [1, 1, 3]
    const { lossSum, grad, gradT } = crossEntropy.chunk(logits, Int32Array.from([3]));
    expect(lossSum).toBeCloseTo(Math.log(5) - Math.log(3), 5);
    expect(grad).toBe(logits);
    const expected = [0, 0.2, 0.2, -0.4];
    for (const [i, value] of Array.from(grad.dataSync()).entries()) expect(value).toBeCloseTo(expected[i], 5);
    expect(gradT.shape).toEqual([4, 1]);
    for (const [i, value] of Array.from(gradT.dataSync()).entries())
      expect(value).toBeCloseTo(expected[i], 5);
    const biasGrad = crossEntropy.biasGrad();
    for (const [i, value] of Array.from(biasGrad.dataSync()).entries())
      expect(value).toBeCloseTo(expected[i], 5);
    tf.dispose([bias, grad, gradT, biasGrad]);
  });

  it('refuses targets outside the items, wrong shapes and shared logits, writing nothing', () => {
    const bias = tf.zeros([4]) as tf.Tensor1D;
    const crossEntropy = heapCrossEntropy(bias, 1);
    if (crossEntropy === null) throw new Error('the wasm backend with SIMD takes the heap route');
    const logits = tf.tensor2d([1, 2, 3, 4, 5, 6, 7, 8], [2, 4]);
    expect(() => crossEntropy.chunk(logits, Int32Array.from([1, 4]))).toThrow(/target 4 outside 1 .. 3/);
    expect(() => crossEntropy.chunk(logits, Int32Array.from([1, 0]))).toThrow(/target 0 outside/);
    expect(() => crossEntropy.chunk(logits, Int32Array.from([1]))).toThrow(/for 1 targets x 4 columns/);
    const shared = logits.reshape([8]); // the same data under another tensor
    expect(() => crossEntropy.chunk(logits, Int32Array.from([1, 2]))).toThrow(/shared/);
    expect(Array.from(logits.dataSync())).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
    tf.dispose([bias, logits, shared, crossEntropy.biasGrad()]);
  });
});
