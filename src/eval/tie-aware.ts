import { discount } from './metrics.js';

/**
 * Where one item lands in a full ranking: `greater` items score strictly higher and `equal` other
 * items score the same. Under a uniformly random tie-break its 0-based rank is uniform on
 * [greater, greater + equal]; the functions below give exact expectations over that draw.
 */
export interface RankPosition {
  greater: number;
  equal: number;
}

/** P(rank < k). */
export function expectedHit(pos: RankPosition, k: number): number {
  const inTopK = Math.min(pos.greater + pos.equal, k - 1) - pos.greater + 1;
  return Math.max(0, inTopK) / (pos.equal + 1);
}

/** E[discount(rank) · 1(rank < k)]. */
export function expectedDiscountedGain(pos: RankPosition, k: number): number {
  let sum = 0;
  const last = Math.min(pos.greater + pos.equal, k - 1);
  for (let r = pos.greater; r <= last; r++) sum += discount(r);
  return sum / (pos.equal + 1);
}

/** E[1 / (rank + 1)], over the whole list. */
export function expectedReciprocalRank(pos: RankPosition): number {
  let sum = 0;
  for (let r = pos.greater; r <= pos.greater + pos.equal; r++) sum += 1 / (r + 1);
  return sum / (pos.equal + 1);
}

/**
 * Exact expected metrics for a case with a single target (HR, NDCG, MRR) and for a set of relevant
 * items (Recall, Precision, set NDCG), which are linear in each item's rank marginal.
 */
export function expectedSetMetrics(positions: readonly RankPosition[], k: number) {
  let hits = 0;
  let dcg = 0;
  for (const pos of positions) {
    hits += expectedHit(pos, k);
    dcg += expectedDiscountedGain(pos, k);
  }
  let ideal = 0;
  for (let r = 0; r < Math.min(k, positions.length); r++) ideal += discount(r);
  return {
    recall: positions.length ? hits / positions.length : 0,
    precision: hits / k,
    ndcg: ideal > 0 ? dcg / ideal : 0,
  };
}
