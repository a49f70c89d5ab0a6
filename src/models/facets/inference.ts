import { TideError } from '../../core/errors.js';
import { softmaxInPlace, vecMat } from '../../nn/scalar.js';
import { timeGapFeature } from '../neural/features.js';
import type { EncoderOptions, NamedWeights, SequenceEncoder } from '../neural/network.js';
import { createEncoder as createSasRecEncoder } from '../sasrec/inference.js';
import { FACET_WEIGHTS, type FacetsConfig, LOGIT_FLOOR, mixComponents, recencyRates } from './config.js';

/** A facets encoder also tells the facets behind its last vector. */
export interface FacetsEncoder extends SequenceEncoder {
  /**
   * Weights w [M] and facet vectors V [M, dim] (row-major) of the last `encode`: the K facets, and
   * with a SASRec (config.sasrec) its state now as the last of them (`latest`, else -1).
   */
  lastFacets(): { weights: Float32Array; vectors: Float32Array; latest: number };
}

/**
 * Plain-TS inference of the facets model at the end of a history: each facet's attention pooling
 * over the last maxLength items, the context weights from the last item (and time gap), and
 * their mix. `lastDiagnostics` reports each facet's weight as `facet k`.
 *
 * @example
 * const encoder = createFacetsEncoder(config, numItems, weights);
 * encoder.encode(history, u);
 * encoder.lastFacets().weights; // w_1..w_K, summing to 1
 */
export function createFacetsEncoder(
  config: FacetsConfig,
  numItems: number,
  weights: NamedWeights,
  options: EncoderOptions = {},
): FacetsEncoder {
  const { dim: d, facets: K, attentionDim: h, maxLength } = config;
  const M = mixComponents(config);
  const sequence = config.sasrec ? createSasRecEncoder(config.sasrec, numItems, weights, options) : null;
  const read = (name: string, size: number) => {
    const w = weights.get(name);
    if (!w || w.data.length !== size)
      throw new TideError(
        'INVALID_INPUT',
        `facets weights: "${name}" is missing or has another size than ${size}`,
      );
    return w.data;
  };
  const items = read(FACET_WEIGHTS.items, (numItems + 1) * d);
  const w1 = read(FACET_WEIGHTS.attentionKernel, d * h);
  const b1 = read(FACET_WEIGHTS.attentionBias, h);
  const w2 = read(FACET_WEIGHTS.attentionOut, h * K);
  const gate = read(FACET_WEIGHTS.gateKernel, (d + 1) * M);
  const gateBias = read(FACET_WEIGHTS.gateBias, M);
  const rates = config.recency ? recencyRates(read(FACET_WEIGHTS.recency, K)) : new Float32Array(K);
  const hiddenScratch = new Float32Array(h);
  const logits = new Float32Array(maxLength * K);
  const context = new Float32Array(d + 1);
  const facetWeights = new Float32Array(M);
  const vectors = new Float32Array(M * d);
  const now = vectors.subarray(K * d);
  return {
    dim: d,
    encode(history, out, timestamps, types) {
      const n = Math.min(maxLength, history.length);
      const first = history.length - n;
      out.fill(0);
      vectors.fill(0);
      if (n === 0) {
        facetWeights.fill(1 / M);
        return;
      }
      sequence?.encode(history, now, timestamps, types);
      for (let s = 0; s < n; s++) {
        const row = (history[first + s] + 1) * d;
        vecMat(items.subarray(row, row + d), w1, h, hiddenScratch, b1);
        for (let j = 0; j < h; j++) hiddenScratch[j] = Math.tanh(hiddenScratch[j]);
        vecMat(hiddenScratch, w2, K, logits.subarray(s * K, (s + 1) * K));
        for (let k = 0; k < K; k++) logits[s * K + k] += rates[k] * s;
      }
      for (let k = 0; k < K; k++) {
        let max = Number.NEGATIVE_INFINITY;
        for (let s = 0; s < n; s++) max = Math.max(max, logits[s * K + k]);
        let sum = 0;
        for (let s = 0; s < n; s++) {
          const p = Math.exp(Math.max(logits[s * K + k] - max, LOGIT_FLOOR));
          sum += p;
          const row = (history[first + s] + 1) * d;
          for (let j = 0; j < d; j++) vectors[k * d + j] += p * items[row + j];
        }
        for (let j = 0; j < d; j++) vectors[k * d + j] /= sum;
      }
      const last = history.length - 1;
      context.set(sequence ? now : items.subarray((history[last] + 1) * d, (history[last] + 2) * d));
      context[d] =
        config.useTimeGaps && timestamps && last > 0
          ? timeGapFeature(timestamps[last - 1], timestamps[last])
          : 0;
      vecMat(context, gate, M, facetWeights, gateBias);
      softmaxInPlace(facetWeights, 0, M);
      for (let k = 0; k < M; k++) for (let j = 0; j < d; j++) out[j] += facetWeights[k] * vectors[k * d + j];
    },
    lastFacets: () => ({ weights: facetWeights, vectors, latest: sequence ? K : -1 }),
    lastDiagnostics: () =>
      Object.fromEntries(Array.from(facetWeights, (w, k) => [k === K ? 'latest events' : `facet ${k}`, w])),
  };
}
