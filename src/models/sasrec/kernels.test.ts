/** The blocked kernels SASRec inference adds to `nn/scalar.ts`, against naive loops, on sizes no block divides. */
import { describe, expect, it } from 'vitest';
import { maxAbsDifference, seededValues } from '../../nn/grad-check.js';
import { causalAttention, matMulTransposed } from '../../nn/scalar.js';

describe('matMulTransposed', () => {
  it.each([
    [1, 3, 1],
    [5, 3, 6],
    [8, 7, 9],
  ])('A[%i, %i] · B[n = %i, k]ᵀ + bias', (m, k, n) => {
    const [A, B, bias] = [seededValues(m * k, 1), seededValues(n * k, 2), seededValues(n, 3)];
    const expected = new Float32Array(m * n);
    for (let r = 0; r < m; r++)
      for (let j = 0; j < n; j++) {
        let s = bias[j];
        for (let i = 0; i < k; i++) s += A[r * k + i] * B[j * k + i];
        expected[r * n + j] = s;
      }
    const C = new Float32Array(m * n).fill(Number.NaN);
    matMulTransposed(A, B, m, k, n, C, bias);
    expect(maxAbsDifference(C, expected)).toBeLessThan(1e-6);
  });
});

describe('causalAttention', () => {
  it.each([
    [1, 3],
    [5, 4],
    [9, 6],
  ])('%i rows of width %i', (rows, width) => {
    const [q, k, v] = [1, 2, 3].map((seed) => seededValues(rows * width, seed));
    const vT = new Float32Array(rows * width);
    for (let t = 0; t < rows; t++) for (let c = 0; c < width; c++) vT[c * rows + t] = v[t * width + c];
    const expected = new Float32Array(rows * width);
    for (let t = 0; t < rows; t++) {
      const scores = Array.from({ length: t + 1 }, (_, s) => {
        let dot = 0;
        for (let c = 0; c < width; c++) dot += q[t * width + c] * k[s * width + c];
        return Math.exp(0.7 * dot);
      });
      const total = scores.reduce((a, b) => a + b, 0);
      for (let c = 0; c < width; c++) {
        for (let s = 0; s <= t; s++) expected[t * width + c] += (scores[s] / total) * v[s * width + c];
      }
    }
    const out = new Float32Array(rows * width).fill(Number.NaN);
    causalAttention(q, k, vT, rows, width, 0.7, new Float32Array(4 * rows), out);
    expect(maxAbsDifference(out, expected)).toBeLessThan(1e-6);
  });
});
