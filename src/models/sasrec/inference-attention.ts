/**
 * The attention step of plain-TS SASRec inference, on the query, key and value rows `encoder-weights.ts`
 * maps describe (with one head: keys are x, and the value map already includes the output projection).
 */
import { layerNormRows, reluInPlace, softmaxInPlace, vecMat } from '../../nn/scalar.js';
import type { Kernels } from '../../nn/wasm/kernels.js';
import type { SasRecConfig } from './config.js';
import { type BlockWeights, transpose } from './encoder-weights.js';
import type { Scratch } from './inference-scratch.js';

/**
 * Causal attention of all n rows of s.q over s.k (or s.x) and s.v, through the output map, into `out`.
 *
 * @example
 * attendRows(block, config, scratch, n, scratch.out, kernels);
 */
export function attendRows(
  w: BlockWeights,
  config: SasRecConfig,
  s: Scratch,
  n: number,
  out: Float32Array,
  kernels: Kernels,
): void {
  const { dim: d, heads } = config;
  const { causalAttention, matMulTransposed } = kernels;
  if (!w.output) {
    causalAttention(s.q, s.x, transpose(s.v, n, d, s.transposed), n, d, 1 / Math.sqrt(d), s.weights, out);
    return;
  }
  const dh = d / heads;
  const [qh, kh, outh] = s.heads;
  for (let h = 0; h < heads; h++) {
    for (let t = 0; t < n; t++) {
      for (let j = 0; j < dh; j++) {
        const from = t * d + h * dh + j;
        qh[t * dh + j] = s.q[from];
        kh[t * dh + j] = s.k[from];
        s.transposed[j * n + t] = s.v[from];
      }
    }
    causalAttention(qh, kh, s.transposed, n, dh, 1 / Math.sqrt(dh), s.weights, outh);
    for (let t = 0; t < n; t++) for (let j = 0; j < dh; j++) s.context[t * d + h * dh + j] = outh[t * dh + j];
  }
  matMulTransposed(s.context, w.output.kernelT, n, d, d, out, w.output.bias);
}

/**
 * The whole last block at the last row only, from x, into `out` [d]. Per head, the query is pulled
 * through the key map (u = Wk_h q_h: score(s) = u · x_s + terms without s) and the value map is applied
 * once to the probability-weighted x (Σ_s p_s (x_s Wv + bv) = (Σ_s p_s x_s) Wv + bv): no key or value
 * row is projected, O(n · d) per head.
 *
 * @example
 * attendLastRow(lastBlock, config, scratch, n, user);
 */
export function attendLastRow(
  w: BlockWeights,
  config: SasRecConfig,
  s: Scratch,
  n: number,
  out: Float32Array,
): void {
  const { dim: d, heads, layerNormEps: eps } = config;
  const { x, weights: probs } = s;
  const [normed, query, u, mixed, context] = s.rows;
  const dh = d / heads;
  const scale = 1 / Math.sqrt(dh);
  normed.set(x.subarray((n - 1) * d, n * d));
  layerNormRows(normed, 1, d, w.attnGamma, w.attnBeta, eps);
  vecMat(normed, w.query.kernel, d, query, w.query.bias);
  for (let h = 0; h < heads; h++) {
    const col = h * dh;
    for (let i = 0; i < d; i++) {
      if (!w.key) {
        u[i] = query[i] * scale;
        continue;
      }
      let dot = 0;
      for (let j = 0; j < dh; j++) dot += w.key.kernel[i * d + col + j] * query[col + j];
      u[i] = dot * scale;
    }
    for (let t = 0; t < n; t++) {
      let dot = 0;
      for (let i = 0; i < d; i++) dot += u[i] * x[t * d + i];
      probs[t] = dot;
    }
    softmaxInPlace(probs, 0, n);
    mixed.fill(0);
    for (let t = 0; t < n; t++) {
      const p = probs[t];
      for (let i = 0; i < d; i++) mixed[i] += p * x[t * d + i];
    }
    const width = w.output ? dh : d; // one head: the value map is [d, d]
    for (let j = 0; j < width; j++) {
      let dot = w.value.bias[col + j];
      for (let i = 0; i < d; i++) dot += mixed[i] * w.value.kernel[i * d + col + j];
      context[col + j] = dot;
    }
  }
  if (w.output) vecMat(context, w.output.kernel, d, out, w.output.bias);
  else out.set(context);
  for (let i = 0; i < d; i++) out[i] += normed[i];
  layerNormRows(out, 1, d, w.ffnGamma, w.ffnBeta, eps);
  vecMat(out, w.inner.kernel, d, normed, w.inner.bias);
  reluInPlace(normed, d);
  vecMat(normed, w.outer.kernel, d, u, w.outer.bias);
  for (let i = 0; i < d; i++) out[i] += u[i];
}
