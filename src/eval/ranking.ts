import type { RankPosition } from './tie-aware.js';

/**
 * Where `item` lands among candidates: the items not excluded, itself left out.
 * `excluded[i] === stamp` marks item i as not rankable for this case. A NaN score ranks below
 * every number: a target scored NaN lands last, a NaN candidate never outranks the target (so a
 * model that diverged to NaN gets the worst metrics, never the best).
 */
export function positionAmong(
  scoresByItem: Float32Array,
  item: number,
  excluded: Int32Array,
  stamp: number,
): RankPosition {
  const s = scoresByItem[item];
  let greater = 0;
  let equal = 0;
  for (let i = 0; i < scoresByItem.length; i++) {
    if (excluded[i] === stamp || i === item) continue;
    const v = scoresByItem[i];
    if (v > s || (Number.isNaN(s) && !Number.isNaN(v))) greater++;
    else if (v === s || (Number.isNaN(v) && Number.isNaN(s))) equal++;
  }
  return { greater, equal };
}

/** The same as positionAmong for many items at once: one sort, then a binary search each. */
export function positionsAmong(
  scoresByItem: Float32Array,
  items: ArrayLike<number>,
  excluded: Int32Array,
  stamp: number,
): RankPosition[] {
  const candidates: number[] = [];
  const lowest = Number.NEGATIVE_INFINITY;
  // NaN ranks below every number (see positionAmong): map it to -Infinity for the sort and search
  const rankValue = (v: number) => (Number.isNaN(v) ? lowest : v);
  for (let i = 0; i < scoresByItem.length; i++)
    if (excluded[i] !== stamp) candidates.push(rankValue(scoresByItem[i]));
  const sorted = Float64Array.from(candidates).sort();
  const out: RankPosition[] = [];
  for (let k = 0; k < items.length; k++) {
    const s = rankValue(scoresByItem[items[k]]);
    const below = lowerBound(sorted, s);
    const upTo = upperBound(sorted, s);
    out.push({ greater: sorted.length - upTo, equal: upTo - below - 1 });
  }
  return out;
}

/** The k best rankable items, best first; among equal scores the lower index comes first. */
export function topK(scoresByItem: Float32Array, k: number, excluded: Int32Array, stamp: number): Int32Array {
  const best = new Int32Array(k);
  const bestScore = new Float64Array(k).fill(Number.NEGATIVE_INFINITY);
  let filled = 0;
  for (let i = 0; i < scoresByItem.length; i++) {
    if (excluded[i] === stamp) continue;
    const v = scoresByItem[i];
    if (filled === k && !(v > bestScore[k - 1])) continue;
    let at = filled < k ? filled++ : k - 1;
    while (at > 0 && v > bestScore[at - 1]) {
      best[at] = best[at - 1];
      bestScore[at] = bestScore[at - 1];
      at--;
    }
    best[at] = i;
    bestScore[at] = v;
  }
  return best.subarray(0, filled);
}

function lowerBound(sorted: Float64Array, value: number): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (sorted[mid] < value) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

function upperBound(sorted: Float64Array, value: number): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (sorted[mid] <= value) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
