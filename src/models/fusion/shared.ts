/** Names and masks shared by the fused model's training graph and its plain-TS inference. */
export const FUSION_WEIGHTS = {
  query: 'fusion/short_query/kernel',
  key: 'fusion/short_key/kernel',
  value: 'fusion/short_value/kernel',
  distanceBias: 'fusion/short_distance_bias',
  gateKernel: 'fusion/gate/kernel',
  gateBias: 'fusion/gate/bias',
} as const;

const MASKED = -1e9;

/**
 * For a left-padded batch [B, L]: `distance` [L * L] indexes the distance-bias table for position
 * pairs (t, i) with 0 <= t - i < window, and `window` (the appended 0 entry) elsewhere; `padding`
 * [B * L * L] is -1e9 outside the band or on padding keys (a padding query may see itself, so no row
 * is fully masked).
 */
export function shortTermMask(
  inputs: Int32Array,
  batchSize: number,
  length: number,
  window: number,
): { distance: Int32Array; padding: Float32Array } {
  const distance = new Int32Array(length * length).fill(window);
  for (let t = 0; t < length; t++) {
    for (let i = Math.max(0, t - window + 1); i <= t; i++) distance[t * length + i] = t - i;
  }
  const padding = new Float32Array(batchSize * length * length).fill(MASKED);
  for (let b = 0; b < batchSize; b++) {
    for (let t = 0; t < length; t++) {
      const row = (b * length + t) * length;
      for (let i = Math.max(0, t - window + 1); i <= t; i++) {
        if (inputs[b * length + i] !== 0 || i === t) padding[row + i] = 0;
      }
    }
  }
  return { distance, padding };
}
