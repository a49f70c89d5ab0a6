import type * as tfjs from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { initBackend } from './backend.js';
import { compareGradients, maxAbsDifference, seededInput, seededValues } from './grad-check.js';
import { gatherAtPositions, logSigmoid, matMulBroadcast, matMulLastAxis } from './safe-ops.js';

let tf: typeof tfjs;
beforeAll(async () => {
  tf = await initBackend();
});

/** sum(w * f) + 0.5 * sum(f^2) with fixed w: touches every output element, quadratic in a linear f. */
function weightedLoss(out: tfjs.Tensor, seed: number): tfjs.Scalar {
  const weights = tf.tensor(seededValues(out.size, seed), out.shape);
  return tf.add(tf.sum(tf.mul(out, weights)), tf.mul(0.5, tf.sum(tf.square(out))));
}

describe('logSigmoid', () => {
  it('equals log(sigmoid(x)), including far in the tails', () => {
    const points = [-30, -3, -0.5, 0, 0.5, 3, 30];
    const x = tf.tensor1d(points);
    const got = logSigmoid(x).dataSync();
    for (const [i, v] of points.entries()) expect(got[i]).toBeCloseTo(-Math.log1p(Math.exp(-v)), 5);
    x.dispose();
  });

  it('has a gradient on intermediate tensors that matches finite differences', () => {
    const loss = (x: tfjs.Tensor) => tf.sum(logSigmoid(tf.mul(x, 2)));
    expect(compareGradients(loss, [seededInput([3, 4], 1)], { step: 1e-3 }).worstRatio).toBeLessThanOrEqual(
      1,
    );
  });

  it('replaces tf.logSigmoid, whose gradient on an intermediate still throws in tfjs 4.22', () => {
    const x = tf.ones([2]);
    expect(() => tf.grad((v: tfjs.Tensor) => tf.sum(tf.logSigmoid(tf.mul(v, 2))))(x)).toThrow();
    x.dispose();
  });
});

describe('matMulLastAxis', () => {
  it('projects the last axis of a [B, T, K] tensor with a [K, N] matrix', () => {
    const [x, w] = [tf.randomNormal([2, 3, 4]), tf.randomNormal([4, 5])] as const;
    const got = matMulLastAxis(x, w as tfjs.Tensor2D);
    expect(got.shape).toEqual([2, 3, 5]);
    const perRow = tf.stack(tf.unstack(x).map((row) => tf.matMul(row, w)));
    expect(maxAbsDifference(got.dataSync(), perRow.dataSync())).toBeLessThan(1e-5);
    tf.dispose([x, w, got, perRow]);
  });

  it('has gradients for both operands that match finite differences', () => {
    const loss = (x: tfjs.Tensor, w: tfjs.Tensor) => weightedLoss(matMulLastAxis(x, w as tfjs.Tensor2D), 3);
    const inputs = [seededInput([2, 3, 4], 4), seededInput([4, 2], 5)];
    expect(compareGradients(loss, inputs).worstRatio).toBeLessThanOrEqual(1);
  });
});

describe('matMulBroadcast', () => {
  it('has gradients of the operand shapes where tf.matMul with broadcast batch dims throws', () => {
    const a = seededInput([1, 3, 4], 6);
    const b = seededInput([2, 5, 4], 7);
    const plain = (x: tfjs.Tensor, y: tfjs.Tensor) => weightedLoss(tf.matMul(x, y, false, true), 8);
    expect(() => compareGradients(plain, [a, b])).toThrow(/gradient of input 'a' has shape '2,3,4'/);
    const safe = (x: tfjs.Tensor, y: tfjs.Tensor) => weightedLoss(matMulBroadcast(x, y, false, true), 8);
    const { analytic, worstRatio } = compareGradients(safe, [a, b]);
    expect(analytic[0].length).toBe(12);
    expect(worstRatio).toBeLessThanOrEqual(1);
  });
});

describe('gatherAtPositions', () => {
  it('picks one step per sequence', () => {
    const x = tf.tensor3d([0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11], [2, 3, 2]);
    const picked = gatherAtPositions(x, tf.tensor1d([2, 0], 'int32'));
    expect(picked.arraySync()).toEqual([
      [4, 5],
      [6, 7],
    ]);
    tf.dispose([x, picked]);
  });

  it('has a gradient where tf.gatherND has none', () => {
    const positions = tf.tensor1d([1, 3], 'int32');
    const loss = (x: tfjs.Tensor) => weightedLoss(gatherAtPositions(x, positions), 9);
    expect(compareGradients(loss, [seededInput([2, 4, 3], 10)]).worstRatio).toBeLessThanOrEqual(1);
    const indices = tf.tensor2d([0, 1, 1, 3], [2, 2], 'int32');
    const viaGatherNd = (x: tfjs.Tensor) => weightedLoss(tf.gatherND(x, indices), 9);
    expect(() => compareGradients(viaGatherNd, [seededInput([2, 4, 3], 10)])).toThrow(/GatherNd/);
    tf.dispose([positions, indices]);
  });

  it('rejects a positions vector that does not match the batch', () => {
    const x = tf.zeros([2, 3, 1]);
    expect(() => gatherAtPositions(x, tf.tensor1d([0], 'int32'))).toThrow(/1 positions for a batch of 2/);
    x.dispose();
  });
});
