/**
 * Input features derived from event times, computed the same way for training batches and for
 * plain-TS inference (so the two cannot drift apart).
 */

/** log1p of the seconds since the previous event; 0 for the first event or unknown times. */
export function timeGapFeature(previousMs: number, currentMs: number): number {
  if (!Number.isFinite(previousMs) || !Number.isFinite(currentMs)) return 0;
  return Math.log1p(Math.max(0, currentMs - previousMs) / 1000);
}

/** Time-gap features of a chronological run of timestamps (ms). */
export function timeGapFeatures(timestamps: ArrayLike<number>): Float32Array {
  const out = new Float32Array(timestamps.length);
  for (let t = 1; t < timestamps.length; t++) out[t] = timeGapFeature(timestamps[t - 1], timestamps[t]);
  return out;
}
