import { dot, sigmoid, softmaxInPlace, vecMat } from '../../nn/cpu.js';
import { timeGapFeature } from '../neural/features.js';
import type { EncoderOptions, NamedWeights, SequenceEncoder } from '../neural/network.js';
import { createEncoder as createSasRecEncoder } from '../sasrec/inference.js';
import type { FusionConfig } from './config.js';
import { FUSION_WEIGHTS } from './shared.js';

/**
 * Plain-TS inference of the fused model: the long-term vector from SASRec's encoder, the
 * short-term attention over the last shortWindow items, and the gate a (the short-term share),
 * which `lastDiagnostics` reports.
 *
 * @example
 * const encoder = createFusionEncoder(config, numItems, weights);
 * encoder.encode(history, u);
 * encoder.lastDiagnostics?.().a; // the short-term share
 */
export function createFusionEncoder(
  config: FusionConfig,
  numItems: number,
  weights: NamedWeights,
  options: EncoderOptions = {},
): SequenceEncoder {
  const longTerm = createSasRecEncoder(config.longTerm, numItems, weights, options);
  const d = config.longTerm.dim;
  const w = config.shortWindow;
  const table = (name: string) => {
    const weight = weights.get(name);
    if (!weight) throw new Error(`fused model weights lack "${name}"`);
    return weight.data;
  };
  const [items, wq, wk, wv] = [
    'item_embedding',
    FUSION_WEIGHTS.query,
    FUSION_WEIGHTS.key,
    FUSION_WEIGHTS.value,
  ].map(table);
  const [distanceBias, gateKernel, gateBias] = [
    FUSION_WEIGHTS.distanceBias,
    FUSION_WEIGHTS.gateKernel,
    FUSION_WEIGHTS.gateBias,
  ].map(table);
  const uLong = new Float32Array(d);
  const query = new Float32Array(d);
  const keys = new Float32Array(w * d);
  const values = new Float32Array(w * d);
  const scores = new Float32Array(w);
  const embedding = new Float32Array(d);
  let gate = Number.NaN;
  return {
    dim: d,
    encode(history, out, timestamps, types) {
      longTerm.encode(history, uLong, timestamps, types);
      // the training window never holds more than maxLength events
      const n = Math.min(w, config.maxLength, history.length);
      if (n === 0) {
        out.set(uLong);
        gate = 0;
        return;
      }
      vecMat(uLong, wq, d, query);
      for (let j = 0; j < n; j++) {
        const item = history[history.length - n + j] + 1;
        embedding.set(items.subarray(item * d, (item + 1) * d));
        vecMat(embedding, wk, d, keys.subarray(j * d, (j + 1) * d));
        vecMat(embedding, wv, d, values.subarray(j * d, (j + 1) * d));
        scores[j] = dot(query, 0, keys, j * d, d) / Math.sqrt(d) + distanceBias[n - 1 - j];
      }
      softmaxInPlace(scores, 0, n);
      const uShort = out;
      uShort.fill(0);
      for (let j = 0; j < n; j++) for (let k = 0; k < d; k++) uShort[k] += scores[j] * values[j * d + k];
      const last = history.length - 1;
      const gap =
        config.useTimeGaps && timestamps && last > 0
          ? timeGapFeature(timestamps[last - 1], timestamps[last])
          : 0;
      gate = sigmoid(
        dot(uShort, 0, gateKernel, 0, d) +
          dot(uLong, 0, gateKernel, d, d) +
          gap * gateKernel[2 * d] +
          gateBias[0],
      );
      for (let k = 0; k < d; k++) out[k] = gate * uShort[k] + (1 - gate) * uLong[k];
    },
    lastDiagnostics: () => ({ a: gate }),
  };
}
