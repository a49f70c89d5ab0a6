/**
 * Where a user's interest shifted, from the category shares of the history points. A model's
 * per-point distribution is noisy (the last event weighs a lot), so the rule reads smoothed shares:
 * s_i = the mean of points i−WINDOW+1..i (fewer at the start; a missing category counts as 0).
 *
 * Point i is marked when
 *  - the leading category changes: the top category of s_i beats the current leader by at least
 *    TOP_MARGIN (the leader starts as the top of s_0; the margin keeps near-ties from flickering), or
 *  - the mix moves: the total-variation distance ½·Σ_c |s_i(c) − s_{i−WINDOW}(c)| between two
 *    disjoint full windows is above DISTANCE_THRESHOLD, and no point of the last WINDOW − 1 was
 *    marked (one move shows once).
 */

export const WINDOW = 4;
export const TOP_MARGIN = 0.15;
export const DISTANCE_THRESHOLD = 0.3;

export interface SharePoint {
  categories: Record<string, number>;
}

export interface Shift {
  /** Index of the point where the shift shows. */
  index: number;
  reason: 'top' | 'distance';
  /** The leader before and after (the same for a 'distance' shift). */
  from: string;
  to: string;
  /** Total-variation distance between the smoothed windows, in [0, 1]. */
  distance: number;
}

/**
 * @example
 * shifts(history); // [{ index: 14, reason: 'top', from: 'jazz', to: 'gardening', distance: 0.41 }]
 */
export function shifts(points: readonly SharePoint[]): Shift[] {
  const smooth = smoothed(points);
  const found: Shift[] = [];
  let leader = smooth.length > 0 ? top(smooth[0]) : '';
  let lastMark = -WINDOW;
  for (let i = 1; i < smooth.length; i++) {
    const now = smooth[i];
    const first = top(now);
    const distance = totalVariation(smooth[Math.max(0, i - WINDOW)], now);
    const from = leader;
    if (first !== leader && (now[first] ?? 0) - (now[leader] ?? 0) >= TOP_MARGIN) leader = first;
    const moved = i >= 2 * WINDOW - 1 && i - lastMark >= WINDOW && distance > DISTANCE_THRESHOLD;
    if (leader === from && !moved) continue;
    found.push({ index: i, reason: leader !== from ? 'top' : 'distance', from, to: leader, distance });
    lastMark = i;
  }
  return found;
}

/** Trailing means of the points' shares over WINDOW points. */
export function smoothed(points: readonly SharePoint[]): Record<string, number>[] {
  return points.map((_, i) => {
    const from = Math.max(0, i - WINDOW + 1);
    const mean: Record<string, number> = {};
    for (let j = from; j <= i; j++) {
      for (const [name, share] of Object.entries(points[j].categories))
        mean[name] = (mean[name] ?? 0) + share;
    }
    for (const name of Object.keys(mean)) mean[name] /= i - from + 1;
    return mean;
  });
}

/** The category with the largest share ('' for none). */
export function top(shares: Record<string, number>): string {
  let best = '';
  let bestShare = -1;
  for (const [name, share] of Object.entries(shares)) {
    if (share > bestShare) {
      best = name;
      bestShare = share;
    }
  }
  return best;
}

export function totalVariation(p: Record<string, number>, q: Record<string, number>): number {
  let sum = 0;
  for (const name of new Set([...Object.keys(p), ...Object.keys(q)]))
    sum += Math.abs((p[name] ?? 0) - (q[name] ?? 0));
  return sum / 2;
}
