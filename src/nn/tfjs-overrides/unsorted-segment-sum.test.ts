import type * as tfjs from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { initBackend, runOnBackend } from '../backend.js';
import { compareGradients, maxAbsDifference, seededInput, seededValues } from '../grad-check.js';
import { scatterAddRows } from './unsorted-segment-sum.js';

let tf: typeof tfjs;
beforeAll(async () => {
  tf = await initBackend();
});

interface SegmentCase {
  label: string;
  xShape: number[];
  ids: number[];
  numSegments: number;
  dtype: 'float32' | 'int32';
}

const CASES: SegmentCase[] = [
  {
    label: 'rows with repeats',
    xShape: [6, 3],
    ids: [2, 0, 2, 3, 0, 2],
    numSegments: 4,
    dtype: 'float32',
  },
  {
    label: 'ids out of range',
    xShape: [6, 2],
    ids: [-1, 1, 4, 7, 0, 3],
    numSegments: 4,
    dtype: 'float32',
  },
  {
    label: 'empty segments',
    xShape: [3, 4],
    ids: [5, 5, 1],
    numSegments: 8,
    dtype: 'float32',
  },
  {
    label: 'vector input',
    xShape: [5],
    ids: [1, 1, 0, 2, 1],
    numSegments: 3,
    dtype: 'float32',
  },
  { label: 'int32 values', xShape: [4, 2], ids: [1, 0, 1, 1], numSegments: 2, dtype: 'int32' },
];

function segmentSum(t: typeof tfjs, c: SegmentCase): { shape: number[]; values: Float32Array | Int32Array } {
  return t.tidy(() => {
    const raw = seededValues(t.util.sizeFromShape(c.xShape), 3);
    const values = c.dtype === 'int32' ? Int32Array.from(raw, (v) => Math.round(v * 10)) : raw;
    const x = t.tensor(values, c.xShape, c.dtype);
    const out = t.unsortedSegmentSum(x, t.tensor1d(c.ids, 'int32'), c.numSegments);
    return { shape: out.shape, values: out.dataSync() as Float32Array | Int32Array };
  });
}

describe('wasm UnsortedSegmentSum', () => {
  it.each(CASES)('matches the cpu backend: $label', async (c) => {
    const onWasm = segmentSum(tf, c);
    const onCpu = await runOnBackend('cpu', (t) => segmentSum(t, c));
    expect(onWasm.shape).toEqual(onCpu.shape);
    // The cpu kernel computes in float32 whatever the input; ours keeps the input dtype, as TensorFlow does.
    expect(onWasm.values).toBeInstanceOf(c.dtype === 'int32' ? Int32Array : Float32Array);
    expect(maxAbsDifference(onWasm.values, onCpu.values)).toBeLessThan(1e-6);
  });

  it('makes the gradient of gather (an embedding lookup) match finite differences', () => {
    const ids = tf.tensor2d([0, 3, 3, 1, 4, 3], [2, 3], 'int32'); // repeated ids must accumulate
    const weights = seededValues(2 * 3 * 4, 17);
    const loss = (table: tfjs.Tensor) => {
      const rows = tf.gather(table, ids);
      return tf.add(
        tf.sum(tf.mul(rows, tf.tensor(weights, rows.shape))),
        tf.mul(0.5, tf.sum(tf.square(rows))),
      );
    };
    const { analytic, worstRatio } = compareGradients(loss, [seededInput([6, 4], 8)]);
    expect(worstRatio).toBeLessThanOrEqual(1);
    expect(Array.from(analytic[0].subarray(20, 24))).toEqual([0, 0, 0, 0]); // row 5 is never looked up
    ids.dispose();
  });

  it('gives gather gradients equal to the cpu backend', async () => {
    const gradient = (t: typeof tfjs) =>
      t.tidy(() => {
        const table = t.tensor(seededValues(8 * 3, 4), [8, 3]);
        const ids = t.tensor1d([7, 0, 7, 2, 7], 'int32');
        return t
          .grad((x: tfjs.Tensor) => t.sum(t.mul(t.gather(x, ids), t.range(0, 15).reshape([5, 3]))))(table)
          .dataSync();
      });
    expect(maxAbsDifference(gradient(tf), await runOnBackend('cpu', gradient))).toBe(0);
  });
});

describe('scatterAddRows', () => {
  it('adds rows into segments and skips ids out of range', () => {
    const segments = new Float32Array(4).fill(9); // stale content must be cleared
    scatterAddRows(Float32Array.from([1, 2, 3, 4, 5, 6]), Int32Array.from([1, -1, 1]), 2, segments, 2);
    expect(Array.from(segments)).toEqual([0, 0, 6, 8]);
  });
});
