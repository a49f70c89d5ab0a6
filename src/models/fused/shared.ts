import { timeGapFeature } from '../neural/features.js';

/** Names and features shared by the fused model's training graph and its plain-TS inference. */
export const FUSION_WEIGHTS = {
  /** [dim, dim]: how the latest item enters the long-term vector. */
  carry: 'fusion/long_term/carry',
  /** [dim]: the long-term state of a user with no event before the recent window. */
  empty: 'fusion/long_term/empty',
  /** [GATE_FEATURES]: the gate's weight on each feature. */
  gateKernel: 'fusion/gate/kernel',
  gateBias: 'fusion/gate/bias',
} as const;

/**
 * What the gate reads, in this order: the disagreement of the two states (1 − cosine), the time
 * since the previous event, the longest gap within the recent window (a session boundary inside
 * it), and whether the user has any event before the window. Times are log1p(seconds) / 10, and 0
 * in a model trained without time gaps.
 */
export const GATE_FEATURES = 4;

/**
 * The gate's logit is GATE_SCALE · (k · features + b): a handful of numbers that Adam, moving each
 * parameter about one learning rate per step, would otherwise need thousands of steps to place.
 */
export const GATE_SCALE = 10;

/** Scale of the log-seconds time features, so that they sit near the disagreement's range. */
const TIME_SCALE = 0.1;

/** 1 − cos(a, b) over `dim` entries at the given offsets (1 when either is zero). */
export function disagreement(
  a: Float32Array,
  aOffset: number,
  b: Float32Array,
  bOffset: number,
  dim: number,
): number {
  let ab = 0;
  let aa = 0;
  let bb = 0;
  for (let k = 0; k < dim; k++) {
    const x = a[aOffset + k];
    const y = b[bOffset + k];
    ab += x * y;
    aa += x * x;
    bb += y * y;
  }
  return 1 - ab / (Math.sqrt((aa + 1e-12) * (bb + 1e-12)) + 1e-8);
}

/**
 * The time features of the gate for the event at `t` of a run of log-gap features (`gaps[j]` =
 * log1p seconds between events j − 1 and j, 0 where unknown) whose first real event is at `first`:
 * [gap before t, longest gap in (t − window, t]], scaled.
 */
export function gateTimeFeatures(
  gaps: ArrayLike<number>,
  first: number,
  t: number,
  window: number,
): [number, number] {
  let longest = 0;
  for (let j = Math.max(first, t - window + 1); j <= t; j++) longest = Math.max(longest, gaps[j]);
  return [gaps[t] * TIME_SCALE, longest * TIME_SCALE];
}

/** The same time features from a history's timestamps (ms), for its latest event. */
export function gateTimeFeaturesAt(
  timestamps: Float64Array,
  first: number,
  window: number,
): [number, number] {
  // as gateTimeFeatures reads a batch's Float32 gaps, without an array per request
  const gapAt = (j: number) => (j < 1 ? 0 : Math.fround(timeGapFeature(timestamps[j - 1], timestamps[j])));
  const t = timestamps.length - 1;
  let longest = 0;
  for (let j = Math.max(first, t - window + 1); j <= t; j++) longest = Math.max(longest, gapAt(j));
  return [gapAt(t) * TIME_SCALE, longest * TIME_SCALE];
}
