/**
 * The time head: what a sequence model's scores become once the time is known. Each item's score is
 * the model's, rescaled, plus a weighted sum of the item's trend features (ItemTrend: decayed counts of
 * the last day, week and month, all time, and newness), with scale and weights set by the request's
 * context — chiefly how long since the user's previous event:
 *
 *   score_i = (1 + c_0) · model_i + Σ_f c_{f+1} · trend_f(i),   c = kernel · context
 *
 * so a user back after months leans on what is popular now, and one in the middle of a session on
 * the model. Fitted after training (training/time-head.ts); inference here, in plain TypeScript.
 */

/** Held-out predictions the time head learns from: the model's scores and what came next. */
export interface TimeHeadSamples {
  /** Row-major [samples, nItems]: the model's scores, -Infinity for items that cannot be recommended. */
  scores: Float32Array;
  /** The item that came next, per sample. */
  targets: Int32Array;
  /** Row-major [samples, TIME_CONTEXT_SIZE]: `timeContext` of each request. */
  contexts: Float32Array;
  /** Trend features (ItemTrend.features, row-major [features, nItems]) as of each moment requests were made. */
  trends: readonly Float32Array[];
  /** Per sample, the index in `trends` of what it saw. */
  trendOf: Int32Array;
  nItems: number;
}

/** Saved-weight name of the head's kernel, [1 + trend features, TIME_CONTEXT_SIZE]. */
export const TIME_HEAD_KERNEL = 'time_head/kernel';

/**
 * Context features: a constant 1; log1p(hours since the user's latest event) / 10; log1p(hours since
 * the trend's latest event) / 10, how stale what is "popular now" is (near 0 where events keep
 * coming; large when the trend was frozen at a cut). Unknown times give 0.
 */
export const TIME_CONTEXT_SIZE = 3;

/** Context vector of a request at `nowMs` after a history with these times (ms), with the trend's clock. */
export function timeContext(
  timestamps: ArrayLike<number> | undefined,
  nowMs: number | undefined,
  trendClockMs: number,
  out: Float32Array,
): Float32Array {
  out[0] = 1;
  // the latest time, not the last one given: events that arrived out of order count where they belong
  let latest = Number.NaN;
  for (let k = 0; k < (timestamps?.length ?? 0); k++) {
    const t = timestamps![k];
    if (Number.isFinite(t) && !(t <= latest)) latest = t;
  }
  out[1] = logHours((nowMs ?? Number.NaN) - latest);
  out[2] = logHours((nowMs ?? Number.NaN) - trendClockMs);
  return out;
}

function logHours(ms: number): number {
  return Number.isFinite(ms) ? Math.log1p(Math.max(0, ms) / 3_600_000) / 10 : 0;
}

/**
 * Adds the head to `scores` in place. `trendByItem` is row-major [features, nItems], `kernel` row-major
 * [1 + features, TIME_CONTEXT_SIZE]; position p of `scores` is item `indices[p]` (null: item p), and
 * positions of other items (index >= nItems: cold items) or of items that cannot be recommended
 * (non-finite scores) are left alone. Returns the trend's share of the scores,
 * Σ|trend part| / (Σ|model part| + Σ|trend part|), for reports.
 */
export function applyTimeHead(
  kernel: Float32Array,
  context: Float32Array,
  trendByItem: Float32Array,
  scores: Float32Array,
  indices: Int32Array | null = null,
): number {
  const features = kernel.length / TIME_CONTEXT_SIZE - 1;
  const n = trendByItem.length / features;
  const coefficients = headCoefficients(kernel, context);
  let modelMass = 0;
  let trendMass = 0;
  for (let p = 0; p < scores.length; p++) {
    const i = indices ? indices[p] : p;
    if (i >= n || !Number.isFinite(scores[p])) continue;
    const model = (1 + coefficients[0]) * scores[p];
    let trend = 0;
    for (let f = 0; f < features; f++) trend += coefficients[f + 1] * trendByItem[f * n + i];
    modelMass += Math.abs(model);
    trendMass += Math.abs(trend);
    scores[p] = model + trend;
  }
  return trendMass / Math.max(modelMass + trendMass, 1e-12);
}

/** c = kernel · context: the model's scale offset, then one weight per trend feature. */
export function headCoefficients(kernel: Float32Array, context: Float32Array): Float64Array {
  const rows = kernel.length / TIME_CONTEXT_SIZE;
  const out = new Float64Array(rows);
  for (let r = 0; r < rows; r++)
    for (let c = 0; c < TIME_CONTEXT_SIZE; c++) out[r] += kernel[r * TIME_CONTEXT_SIZE + c] * context[c];
  return out;
}
