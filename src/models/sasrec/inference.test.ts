/** The plain-TS encoder's checks on its weights and inputs (no tfjs needed: weights from `initialWeights`). */
import { describe, expect, it } from 'vitest';
import { SasRecConfig } from './config.js';
import { createEncoder } from './inference.js';
import { initialWeights } from './weights.js';

const CONFIG = SasRecConfig.parse({ maxLength: 6, dim: 8, useTypes: true });

describe('createEncoder', () => {
  it('names a missing weight and a weight of the wrong shape', () => {
    const weights = initialWeights(CONFIG, 10, 1);
    weights.delete('block1/attn/query/kernel');
    expect(() => createEncoder(CONFIG, 10, weights)).toThrow(/"block1\/attn\/query\/kernel" is missing/);
    expect(() => createEncoder(CONFIG, 11, initialWeights(CONFIG, 10, 1))).toThrow(
      /"item_embedding" has shape \[11,8\].*expected \[12,8\]/,
    );
  });

  it('rejects an item or a type outside the model, and misaligned timestamps', () => {
    const encoder = createEncoder(CONFIG, 10, initialWeights(CONFIG, 10, 1));
    const out = new Float32Array(8);
    expect(() => encoder.encode(Int32Array.from([3, 10]), out)).toThrow(/item index 10/);
    expect(() => encoder.encode(Int32Array.from([3, 4]), out, undefined, Uint8Array.from([0, 6]))).toThrow(
      /type code 6/,
    );
    expect(() => encoder.encode(Int32Array.from([3, 4]), out, Float64Array.from([1]))).toThrow(
      /1 timestamps/,
    );
  });

  it('writes a finite vector for any history, and only reads its last maxLength events', () => {
    const encoder = createEncoder(CONFIG, 10, initialWeights(CONFIG, 10, 1));
    const [long, tail] = [new Float32Array(8), new Float32Array(8)];
    encoder.encode(Int32Array.from([9, 9, 9, 1, 2, 3, 4, 5, 6]), long);
    encoder.encode(Int32Array.from([1, 2, 3, 4, 5, 6]), tail);
    expect(long.every(Number.isFinite)).toBe(true);
    expect(long).toEqual(tail);
  });

  it('encodes the same with the SIMD and the scalar kernels, one head or several', () => {
    for (const config of [
      CONFIG,
      SasRecConfig.parse({ maxLength: 9, dim: 8, heads: 2, useTimeGaps: true }),
    ]) {
      const weights = initialWeights(config, 10, 5);
      const simd = createEncoder(config, 10, weights, { kernels: 'simd' });
      const scalar = createEncoder(config, 10, weights, { kernels: 'scalar' });
      for (const length of [1, 3, 4, 5, 9, 12]) {
        const history = Int32Array.from({ length }, (_, i) => (i * 7 + length) % 10);
        const timestamps = Float64Array.from({ length }, (_, i) => i * 3_600_000);
        const [a, b] = [new Float32Array(8), new Float32Array(8)];
        simd.encode(history, a, timestamps);
        scalar.encode(history, b, timestamps);
        for (let i = 0; i < 8; i++) expect(a[i]).toBeCloseTo(b[i], 5);
      }
    }
  });
});
