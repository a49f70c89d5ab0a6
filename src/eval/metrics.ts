/**
 * Accuracy metrics as plain functions over a ranked list of item indices (best first) and the
 * set of relevant items. They know nothing about models.
 */
export type Relevant = ReadonlySet<number>;

/** 1 when any relevant item is in the top k, else 0. */
export function hitRate(ranked: ArrayLike<number>, relevant: Relevant, k: number): number {
  const n = Math.min(k, ranked.length);
  for (let r = 0; r < n; r++) if (relevant.has(ranked[r])) return 1;
  return 0;
}

/** Binary-relevance NDCG@k: DCG over the top k divided by the best DCG possible. */
export function ndcg(ranked: ArrayLike<number>, relevant: Relevant, k: number): number {
  if (relevant.size === 0) return 0;
  let dcg = 0;
  const n = Math.min(k, ranked.length);
  for (let r = 0; r < n; r++) if (relevant.has(ranked[r])) dcg += discount(r);
  let ideal = 0;
  for (let r = 0; r < Math.min(k, relevant.size); r++) ideal += discount(r);
  return dcg / ideal;
}

/** 1 / (1 + 0-based rank of the first relevant item); 0 when none is ranked. */
export function reciprocalRank(ranked: ArrayLike<number>, relevant: Relevant): number {
  for (let r = 0; r < ranked.length; r++) if (relevant.has(ranked[r])) return 1 / (r + 1);
  return 0;
}

export function recall(ranked: ArrayLike<number>, relevant: Relevant, k: number): number {
  return relevant.size === 0 ? 0 : countHits(ranked, relevant, k) / relevant.size;
}

export function precision(ranked: ArrayLike<number>, relevant: Relevant, k: number): number {
  return countHits(ranked, relevant, k) / k;
}

/** The DCG weight of 0-based rank r. */
export function discount(rank: number): number {
  return 1 / Math.log2(rank + 2);
}

function countHits(ranked: ArrayLike<number>, relevant: Relevant, k: number): number {
  let hits = 0;
  const n = Math.min(k, ranked.length);
  for (let r = 0; r < n; r++) if (relevant.has(ranked[r])) hits++;
  return hits;
}

/** Mean squared error between predictions and actual values (same length). */
export function meanSquaredError(predicted: ArrayLike<number>, actual: ArrayLike<number>): number {
  let sum = 0;
  for (let i = 0; i < predicted.length; i++) sum += (predicted[i] - actual[i]) ** 2;
  return predicted.length === 0 ? Number.NaN : sum / predicted.length;
}

/** Mean absolute error between predictions and actual values (same length). */
export function meanAbsoluteError(predicted: ArrayLike<number>, actual: ArrayLike<number>): number {
  let sum = 0;
  for (let i = 0; i < predicted.length; i++) sum += Math.abs(predicted[i] - actual[i]);
  return predicted.length === 0 ? Number.NaN : sum / predicted.length;
}
