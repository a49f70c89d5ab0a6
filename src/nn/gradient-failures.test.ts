/**
 * Ops that fail in backprop with tfjs 4.22, kept as tests so that a tfjs upgrade that fixes one shows up
 * (and the matching workaround in `safe-ops.ts` can go). Where the failure is in tfjs-core, the cpu
 * backend fails the same way; where only wasm fails, it lacks a kernel.
 */
import type * as tfjs from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { initBackend, runOnBackend } from './backend.js';
import { analyticGradients, seededInput, weightedSum } from './grad-check.js';

let tf: typeof tfjs;
beforeAll(async () => {
  tf = await initBackend();
});

type Op = (t: typeof tfjs, inputs: tfjs.Tensor[]) => tfjs.Tensor;

function gradients(t: typeof tfjs, shapes: number[][], op: Op): Float32Array[] {
  const inputs = shapes.map((shape, i) => seededInput(shape, 11 + i));
  return analyticGradients((...xs) => weightedSum(op(t, xs)), inputs);
}

const BROKEN: [label: string, shapes: number[][], op: Op, error: RegExp, alsoOnCpu: boolean][] = [
  [
    'conv1d filter gradient (wasm lacks Conv2DBackpropFilter)',
    [
      [2, 5, 3],
      [2, 3, 4],
    ],
    (t, [x, f]) => t.conv1d(x as tfjs.Tensor3D, f as tfjs.Tensor3D, 1, 'same'),
    /Conv2DBackpropFilter/,
    false,
  ],
  [
    'einsum (no wasm kernel, no gradient)',
    [
      [2, 3],
      [3, 2],
    ],
    (t, [a, b]) => t.einsum('ij,jk->ik', a, b),
    /Einsum/,
    true,
  ],
  ['stridedSlice', [[3, 6]], (t, [x]) => t.stridedSlice(x, [0, 1], [3, 6], [1, 2]), /StridedSlice/, true],
  [
    'gatherND',
    [[4, 3]],
    (t, [x]) => t.gatherND(x, t.tensor2d([0, 1, 3, 2], [2, 2], 'int32')),
    /GatherNd/,
    true,
  ],
  [
    'where with a mask computed from a differentiated input',
    [[3, 4]],
    (t, [x]) => t.where(t.greater(x, 0), x, t.zerosLike(x)),
    /Greater/,
    true,
  ],
  ['tf.logSigmoid of an intermediate', [[3, 4]], (t, [x]) => t.logSigmoid(t.mul(x, 2)), /backend/, true],
  [
    'matMul with broadcast batch dims',
    [
      [1, 3, 4],
      [2, 4, 5],
    ],
    (t, [a, b]) => t.matMul(a, b),
    /gradient of input 'a'/,
    true,
  ],
  [
    'batchNorm',
    [[3, 4], [4], [4]],
    (t, [x, m, v]) => t.batchNorm(x, m, t.add(t.abs(v), 1)),
    /undefined/,
    true,
  ],
];

describe('known gradient failures in tfjs 4.22', () => {
  it.each(BROKEN)('%s', async (_label, shapes, op, error, alsoOnCpu) => {
    expect(() => gradients(tf, shapes, op)).toThrow(error);
    const cpuFails = await runOnBackend('cpu', (t) => {
      try {
        gradients(t, shapes, op);
        return false;
      } catch {
        return true;
      }
    });
    expect(cpuFails).toBe(alsoOnCpu);
  });
});
