import type * as tfjs from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { initBackend, runOnBackend } from '../backend.js';
import { compareGradients, maxAbsDifference, seededInput, seededValues } from '../grad-check.js';
import {
  type BatchMatMulRoute,
  batchMatMulRoute,
  broadcastBatchIndices,
  isBatchMatMulFixed,
  registerBatchMatMulFix,
  unregisterBatchMatMulFix,
} from './batch-matmul.js';

let tf: typeof tfjs;
beforeAll(async () => {
  tf = await initBackend();
});

/** [aShape, bShape] of a product with the given flags; batch dims broadcast. */
function operandShapes(
  batchA: number[],
  batchB: number[],
  m: number,
  k: number,
  n: number,
  tA: boolean,
  tB: boolean,
) {
  return [
    [...batchA, ...(tA ? [k, m] : [m, k])],
    [...batchB, ...(tB ? [n, k] : [k, n])],
  ];
}

function product(t: typeof tfjs, shapes: number[][], tA: boolean, tB: boolean): Float32Array {
  return t.tidy(() => {
    const [a, b] = shapes.map((shape, i) =>
      t.tensor(seededValues(t.util.sizeFromShape(shape), 40 + i), shape),
    );
    return t.matMul(a, b, tA, tB).dataSync() as Float32Array;
  });
}

const FLAGS = [
  [false, false],
  [false, true],
  [true, false],
  [true, true],
] as const;

const BATCHES: [string, number[], number[]][] = [
  ['single matrices', [], []],
  ['equal batch dims', [4], [4]],
  ['rank-4 batch dims', [2, 3], [2, 3]],
  ['batch 1 against 3', [1], [3]],
  ['batch 3 against 1', [3], [1]],
  ['rank 3 against rank 2', [3], []],
  ['rank 2 against rank 3', [], [3]],
];

const ROUTES: BatchMatMulRoute[] = ['simd', 'xnnpack'];

describe('patched wasm BatchMatMul', () => {
  it('is registered by initBackend, on the SIMD route', () => {
    expect(isBatchMatMulFixed()).toBe(true);
    expect(batchMatMulRoute()).toBe('simd');
  });

  describe.each(ROUTES)('on the %s route', (route) => {
    beforeAll(() => registerBatchMatMulFix(route));
    afterAll(() => registerBatchMatMulFix());

    it('is registered on it', () => {
      expect(batchMatMulRoute()).toBe(route);
    });

    describe.each(BATCHES)('%s', (_label, batchA, batchB) => {
      it.each(FLAGS)('matches the cpu backend with transposeA=%s transposeB=%s', async (tA, tB) => {
        for (const [m, k, n] of [
          [5, 7, 6],
          [9, 300, 21],
        ]) {
          const shapes = operandShapes(batchA, batchB, m, k, n, tA, tB);
          const onWasm = product(tf, shapes, tA, tB);
          const onCpu = await runOnBackend('cpu', (t) => product(t, shapes, tA, tB));
          expect(onWasm.length).toBe(onCpu.length);
          expect(maxAbsDifference(onWasm, onCpu), `${m}x${k}x${n}`).toBeLessThan(1e-4);
        }
      });
    });

    it('broadcasts [2,1] against [1,3] batch dims like numpy', () => {
      const shapes = operandShapes([2, 1], [1, 3], 2, 3, 2, false, true);
      const [aShape, bShape] = shapes;
      const aValues = seededValues(tf.util.sizeFromShape(aShape), 40);
      const bValues = seededValues(tf.util.sizeFromShape(bShape), 41);
      const result = tf.tidy(() =>
        tf.matMul(tf.tensor(aValues, aShape), tf.tensor(bValues, bShape), false, true),
      );
      expect(result.shape).toEqual([2, 3, 2, 2]);
      const outRowMajor = result.dataSync();
      result.dispose();
      // Reference: out[i, j] = a[i, 0] x b[0, j]^T, written out by hand.
      for (let i = 0; i < 2; i++) {
        for (let j = 0; j < 3; j++) {
          for (let r = 0; r < 2; r++) {
            for (let c = 0; c < 2; c++) {
              let sum = 0;
              for (let k = 0; k < 3; k++) sum += aValues[i * 6 + r * 3 + k] * bValues[j * 6 + c * 3 + k];
              expect(outRowMajor[((i * 3 + j) * 2 + r) * 2 + c]).toBeCloseTo(sum, 5);
            }
          }
        }
      }
    });

    it('does not reuse packed weights across distinct right-hand slices or calls', () => {
      // Two calls on same-shaped batches whose b slices differ: stale XNNPACK weights would repeat results.
      const first = product(
        tf,
        [
          [3, 2, 4],
          [3, 4, 5],
        ],
        false,
        false,
      );
      const again = tf.tidy(() => {
        const a = tf.tensor(seededValues(24, 40), [3, 2, 4]);
        const b = tf.tensor(seededValues(60, 99), [3, 4, 5]);
        return tf.matMul(a, b).dataSync();
      });
      const reference = tf.tidy(() => {
        const a = tf.tensor(seededValues(24, 40), [3, 2, 4]).unstack();
        const b = tf.tensor(seededValues(60, 99), [3, 4, 5]).unstack();
        return tf.stack(a.map((slice, i) => tf.matMul(slice, b[i]))).dataSync();
      });
      expect(maxAbsDifference(again, reference)).toBeLessThan(1e-5);
      expect(maxAbsDifference(first, again)).toBeGreaterThan(1e-2);
    });

    it.each(FLAGS)('frees every temporary it allocates (transposeA=%s transposeB=%s)', (tA, tB) => {
      const [a, b] = operandShapes([2], [1], 7, 5, 6, tA, tB).map((shape) => tf.randomNormal(shape));
      const tensorsBefore = tf.memory().numTensors;
      const dataIdsBefore = tf.backend().numDataIds();
      tf.matMul(a, b, tA, tB).dispose();
      expect(tf.memory().numTensors).toBe(tensorsBefore);
      expect(tf.backend().numDataIds()).toBe(dataIdsBefore);
      tf.dispose([a, b]);
    });

    it.each(FLAGS)('has gradients that match finite differences (transposeA=%s transposeB=%s)', (tA, tB) => {
      const [aShape, bShape] = operandShapes([2], [2], 3, 4, 2, tA, tB);
      const weights = seededValues(2 * 3 * 2, 77);
      // Quadratic in every element of a and b, so central differences are exact up to rounding.
      const loss = (a: tfjs.Tensor, b: tfjs.Tensor) => {
        const out = tf.matMul(a, b, tA, tB);
        return tf.add(
          tf.sum(tf.mul(out, tf.tensor(weights, out.shape))),
          tf.mul(0.5, tf.sum(tf.square(out))),
        );
      };
      const { worstRatio } = compareGradients(loss, [seededInput(aShape, 5), seededInput(bShape, 6)]);
      expect(worstRatio).toBeLessThanOrEqual(1);
    });
  });

  it('gives the stock kernel results and can be switched off and on', () => {
    const shapes = operandShapes([3], [3], 4, 5, 6, true, false);
    const patched = product(tf, shapes, true, false);
    unregisterBatchMatMulFix();
    expect(isBatchMatMulFixed()).toBe(false);
    const stock = product(tf, shapes, true, false);
    registerBatchMatMulFix();
    registerBatchMatMulFix();
    expect(isBatchMatMulFixed()).toBe(true);
    expect(maxAbsDifference(patched, stock)).toBeLessThan(1e-5);
  });
});

describe('broadcastBatchIndices', () => {
  it('maps output batches to operand batches', () => {
    expect(Array.from(broadcastBatchIndices([2, 3], [2, 1]))).toEqual([0, 0, 0, 1, 1, 1]);
    expect(Array.from(broadcastBatchIndices([2, 3], [3]))).toEqual([0, 1, 2, 0, 1, 2]);
    expect(Array.from(broadcastBatchIndices([2, 3], []))).toEqual([0, 0, 0, 0, 0, 0]);
    expect(Array.from(broadcastBatchIndices([4], [4]))).toEqual([0, 1, 2, 3]);
  });
});
