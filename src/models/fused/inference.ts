import { TideError } from '../../core/errors.js';
import { sigmoid, vecMat } from '../../nn/scalar.js';
import { FIXED_GATE } from '../neural/gate-check.js';
import type { EncoderOptions, NamedWeights, SequenceEncoder } from '../neural/network.js';
import { createEncoder as createSasRecEncoder } from '../sasrec/inference.js';
import type { FusedConfig } from './config.js';
import { disagreement, FUSION_WEIGHTS, GATE_FEATURES, GATE_SCALE, gateTimeFeaturesAt } from './shared.js';

/**
 * Plain-TS inference of the fused model: SASRec's state after the whole window (u_short) and before
 * its last shortWindow events (u_long, with the latest item carried in), mixed by the gate a (the
 * short-term share), which `lastDiagnostics` reports.
 *
 * @example
 * const encoder = createFusedEncoder(config, numItems, weights);
 * encoder.encode(history, u);
 * encoder.lastDiagnostics?.().a; // the short-term share
 */
export function createFusedEncoder(
  config: FusedConfig,
  numItems: number,
  weights: NamedWeights,
  options: EncoderOptions = {},
): SequenceEncoder {
  const sequence = createSasRecEncoder(config.longTerm, numItems, weights, options);
  const d = config.longTerm.dim;
  const w = config.shortWindow;
  const table = (name: string) => {
    const weight = weights.get(name);
    if (!weight)
      throw new TideError(
        'INVALID_INPUT',
        `fused model weights lack "${name}": the model was saved by an earlier Tide; train it again`,
      );
    return weight.data;
  };
  const [items, carry, empty, gateKernel, gateBias] = [
    'item_embedding',
    FUSION_WEIGHTS.carry,
    FUSION_WEIGHTS.empty,
    FUSION_WEIGHTS.gateKernel,
    FUSION_WEIGHTS.gateBias,
  ].map(table);
  // a gate folded into a constant (it ranked no better than one): used, not reported
  const fixed = weights.get(FIXED_GATE)?.data[0];
  const uLong = new Float32Array(d);
  const carried = new Float32Array(d);
  const features = new Float32Array(GATE_FEATURES);
  let gate = Number.NaN;
  let dis = Number.NaN;
  return {
    dim: d,
    encode(history, out, timestamps, types) {
      const n = history.length;
      const uShort = out;
      sequence.encode(history, uShort, timestamps, types);
      if (n === 0) {
        gate = 0;
        dis = 0;
        return;
      }
      // the state before the recent events, at the window position training gives it
      const before = n - w;
      const hasPrefix = Math.min(n, config.maxLength) > w;
      if (hasPrefix) {
        sequence.encodeBefore(
          history.subarray(0, before),
          w,
          uLong,
          timestamps?.subarray(0, before),
          types?.subarray(0, before),
        );
      } else uLong.set(empty);
      dis = disagreement(uShort, 0, uLong, 0, d);
      const latest = history[n - 1] + 1;
      vecMat(items.subarray(latest * d, (latest + 1) * d), carry, d, carried);
      for (let k = 0; k < d; k++) uLong[k] += carried[k];
      features.fill(0);
      features[0] = dis;
      if (config.useTimeGaps && timestamps)
        [features[1], features[2]] = gateTimeFeaturesAt(timestamps, Math.max(0, n - config.maxLength), w);
      features[3] = hasPrefix ? 0 : 1;
      let logit = gateBias[0];
      for (let f = 0; f < GATE_FEATURES; f++) logit += features[f] * gateKernel[f];
      gate = fixed ?? sigmoid(GATE_SCALE * logit);
      for (let k = 0; k < d; k++) out[k] = gate * uShort[k] + (1 - gate) * uLong[k];
    },
    lastDiagnostics: (): Readonly<Record<string, number>> =>
      fixed === undefined ? { a: gate, disagreement: dis } : {},
  };
}
