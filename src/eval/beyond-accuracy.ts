/**
 * Metrics over the recommendation lists shown to all users (item indices, best first): how much of
 * the catalogue is used, how evenly exposure spreads, how surprising and how varied lists are.
 */

/** Share of the catalogue that appears in at least one list. */
export function catalogCoverage(lists: readonly ArrayLike<number>[], nItems: number): number {
  const seen = new Uint8Array(nItems);
  let distinct = 0;
  for (const list of lists) {
    for (let r = 0; r < list.length; r++) {
      if (!seen[list[r]]) {
        seen[list[r]] = 1;
        distinct++;
      }
    }
  }
  return nItems === 0 ? 0 : distinct / nItems;
}

/**
 * Gini coefficient of exposure counts over the whole catalogue (items never shown count as 0):
 * 0 = every item shown equally often, towards 1 = a few items take all exposure.
 */
export function exposureGini(lists: readonly ArrayLike<number>[], nItems: number): number {
  const exposure = new Float64Array(nItems);
  for (const list of lists) for (let r = 0; r < list.length; r++) exposure[list[r]]++;
  return gini(exposure);
}

/** Gini coefficient of non-negative values. */
export function gini(values: Float64Array): number {
  const sorted = Float64Array.from(values).sort();
  const n = sorted.length;
  let total = 0;
  let weighted = 0;
  for (let i = 0; i < n; i++) {
    total += sorted[i];
    weighted += (i + 1) * sorted[i];
  }
  if (n === 0 || total === 0) return 0;
  return (2 * weighted) / (n * total) - (n + 1) / n;
}

/**
 * Mean self-information of recommended items, -log2(share of users who had the item),
 * in bits: higher = less obvious recommendations.
 */
export function novelty(
  lists: readonly ArrayLike<number>[],
  usersWithItem: ArrayLike<number>,
  nUsers: number,
): number {
  let sum = 0;
  let count = 0;
  for (const list of lists) {
    for (let r = 0; r < list.length; r++) {
      sum += -Math.log2(Math.max(usersWithItem[list[r]], 1) / nUsers);
      count++;
    }
  }
  return count === 0 ? 0 : sum / count;
}

/** Mean over lists of the mean pairwise distance between their items. */
export function intraListDiversity(
  lists: readonly ArrayLike<number>[],
  distance: (a: number, b: number) => number,
): number {
  let sum = 0;
  let counted = 0;
  for (const list of lists) {
    if (list.length < 2) continue;
    let pairSum = 0;
    for (let i = 0; i < list.length; i++)
      for (let j = i + 1; j < list.length; j++) pairSum += distance(list[i], list[j]);
    sum += pairSum / ((list.length * (list.length - 1)) / 2);
    counted++;
  }
  return counted === 0 ? 0 : sum / counted;
}

/** Jaccard distance between category sets, a distance for intra-list diversity. */
export function categoryJaccardDistance(categoriesOf: readonly (readonly string[])[]) {
  return (a: number, b: number): number => {
    const ca = categoriesOf[a] ?? [];
    const cb = categoriesOf[b] ?? [];
    if (ca.length === 0 && cb.length === 0) return 0;
    let shared = 0;
    for (const c of ca) if (cb.includes(c)) shared++;
    return 1 - shared / (ca.length + cb.length - shared);
  };
}
