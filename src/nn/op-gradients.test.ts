/**
 * The ops the sequence models need have working gradients on wasm (with our kernel fixes): each case's
 * gradients must equal the cpu backend's. Known failures are in `gradient-failures.test.ts`.
 */
import type * as tfjs from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { initBackend, runOnBackend } from './backend.js';
import {
  analyticGradients,
  compareGradients,
  maxAbsDifference,
  seededInput,
  seededValues,
  weightedSum,
} from './grad-check.js';

let tf: typeof tfjs;
beforeAll(async () => {
  tf = await initBackend();
});

type Op = (t: typeof tfjs, inputs: tfjs.Tensor[]) => tfjs.Tensor;
type OpCase = [label: string, shapes: number[][], op: Op];

const gruCell: Op = (t, [x, h, w, u]) => {
  const [xz, xr, xn] = t.split(t.matMul(x, w), 3, 1);
  const [hz, hr, hn] = t.split(t.matMul(h, u), 3, 1);
  const update = t.sigmoid(t.add(xz, hz));
  const reset = t.sigmoid(t.add(xr, hr));
  const candidate = t.tanh(t.add(xn, t.mul(reset, hn)));
  return t.add(t.mul(t.sub(1, update), candidate), t.mul(update, h));
};

const layerNorm: Op = (t, [x, gain, bias]) => {
  const { mean, variance } = t.moments(x, -1, true);
  return t.add(t.mul(t.mul(t.sub(x, mean), t.rsqrt(t.add(variance, 1e-5))), gain), bias);
};

const causalSelfAttention: Op = (t, [x]) => {
  const [, steps, dim] = x.shape;
  const future = t.sub(1, t.linalg.bandPart(t.ones([steps, steps]), -1, 0));
  const scores = t.add(t.div(t.matMul(x, x, false, true), Math.sqrt(dim)), t.mul(future, -1e9));
  return t.matMul(t.softmax(scores), x);
};

const WORKING: OpCase[] = [
  [
    'matMul',
    [
      [3, 4],
      [4, 5],
    ],
    (t, [a, b]) => t.matMul(a, b),
  ],
  [
    'matMul transposeA transposeB',
    [
      [4, 3],
      [5, 4],
    ],
    (t, [a, b]) => t.matMul(a, b, true, true),
  ],
  [
    'batched 4-D matMul',
    [
      [2, 2, 3, 4],
      [2, 2, 5, 4],
    ],
    (t, [a, b]) => t.matMul(a, b, false, true),
  ],
  [
    'fused matMul + bias + relu',
    [[3, 4], [4, 5], [5]],
    (t, [a, b, c]) => t.fused.matMul({ a, b, bias: c, activation: 'relu' }),
  ],
  ['sigmoid, tanh, relu, elu', [[3, 4]], (t, [x]) => t.addN([t.sigmoid(x), t.tanh(x), t.relu(x), t.elu(x)])],
  [
    'softplus, exp, log, sqrt',
    [[3, 4]],
    (t, [x]) => t.addN([t.softplus(x), t.exp(x), t.log(t.add(t.square(x), 1)), t.sqrt(t.add(t.abs(x), 1))]),
  ],
  [
    'concat, slice, split',
    [
      [3, 4],
      [3, 2],
    ],
    (t, [a, b]) => {
      const [p, q] = t.split(t.concat([a, b], 1), 2, 1);
      return t.mul(p, t.slice(q, [0, 0], [3, 3]));
    },
  ],
  ['stack, unstack, reverse', [[3, 4]], (t, [x]) => t.stack(t.unstack(t.reverse(x, 1), 1).reverse(), 0)],
  ['gather with repeated ids', [[5, 3]], (t, [x]) => t.gather(x, t.tensor2d([0, 4, 4, 2], [2, 2], 'int32'))],
  [
    'reshape, transpose, tile, pad',
    [[2, 3, 4]],
    (t, [x]) =>
      t.pad(t.tile(t.transpose(t.reshape(x, [6, 4])), [1, 2]), [
        [1, 0],
        [0, 1],
      ]),
  ],
  [
    'sum, mean, max, cumsum',
    [[3, 4]],
    (t, [x]) => t.addN([t.sum(x, 1), t.mean(x, 1), t.max(x, 1), t.sum(t.cumsum(x, 1), 1)]),
  ],
  ['softmax, logSoftmax', [[3, 4]], (t, [x]) => t.add(t.softmax(x), t.logSoftmax(x))],
  [
    'softmax cross-entropy',
    [[3, 4]],
    (t, [x]) => t.losses.softmaxCrossEntropy(t.oneHot(t.tensor1d([0, 3, 1], 'int32'), 4), x),
  ],
  [
    'sigmoid cross-entropy',
    [[3, 4]],
    (t, [x]) => t.losses.sigmoidCrossEntropy(t.tensor2d([1, 0, 0, 1, 0, 1, 1, 0, 1, 1, 0, 0], [3, 4]), x),
  ],
  ['layer norm', [[3, 4], [4], [4]], layerNorm],
  ['dropout (seeded)', [[3, 4]], (t, [x]) => t.dropout(x, 0.5, undefined, 7)],
  [
    'where with a constant mask',
    [
      [3, 4],
      [3, 4],
    ],
    (t, [a, b]) => t.where(t.tensor2d(seededValues(12, 5), [3, 4]).greater(0), a, b),
  ],
  [
    'GRU cell',
    [
      [2, 3],
      [2, 4],
      [3, 12],
      [4, 12],
    ],
    gruCell,
  ],
  [
    'LSTM cell (tf.basicLSTMCell)',
    [[2, 3], [5, 8], [8], [2, 2], [2, 2]],
    (t, [x, k, b, c, h]) =>
      t.concat(
        t.basicLSTMCell(
          1,
          k as tfjs.Tensor2D,
          b as tfjs.Tensor1D,
          x as tfjs.Tensor2D,
          c as tfjs.Tensor2D,
          h as tfjs.Tensor2D,
        ),
        1,
      ),
  ],
  ['causal self-attention', [[2, 4, 3]], causalSelfAttention],
];

/** Gradients of weightedSum(op(inputs)) on the active backend. */
function gradients(t: typeof tfjs, shapes: number[][], op: Op): Float32Array[] {
  const inputs = shapes.map((shape, i) => seededInput(shape, 11 + i));
  return analyticGradients((...xs) => weightedSum(op(t, xs)), inputs);
}

describe('gradients on wasm equal the cpu backend', () => {
  it.each(WORKING)('%s', async (_label, shapes, op) => {
    const onWasm = gradients(tf, shapes, op);
    const onCpu = await runOnBackend('cpu', (t) => gradients(t, shapes, op));
    for (const [i, gradient] of onWasm.entries())
      expect(maxAbsDifference(gradient, onCpu[i])).toBeLessThan(1e-5);
  });

  it('GRU cell gradients also match finite differences', () => {
    const inputs = [
      [2, 3],
      [2, 4],
      [3, 12],
      [4, 12],
    ].map((shape, i) => seededInput(shape, 20 + i));
    const loss = (...xs: tfjs.Tensor[]) => weightedSum(gruCell(tf, xs));
    expect(compareGradients(loss, inputs, { step: 1e-3 }).worstRatio).toBeLessThanOrEqual(1);
  });
});
