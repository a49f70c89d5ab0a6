/**
 * A user's interest in the text space: an exponential moving average of the text vectors of the
 * items they touched,
 *   t_1 = x_1,   t_{n+1} = t_n + α·(x_{n+1} − t_n),   α = TEXT_INTEREST_RATE,
 * so the latest items weigh most (half-life ln 0.5 / ln(1 − α) ≈ 6.6 events at α = 0.1). The online
 * engine folds one event at a time; offline code folds a whole history with `textInterestOf`.
 */
export const TEXT_INTEREST_RATE = 0.1;

/**
 * Folds one item's text vector into `interest` in place; returns the new interest (a copy of the
 * vector when there was none).
 *
 * @example
 * let interest: Float32Array | null = null;
 * for (const vector of historyVectors) interest = foldTextInterest(interest, vector);
 */
export function foldTextInterest(interest: Float32Array | null, vector: Float32Array): Float32Array {
  if (!interest) return Float32Array.from(vector);
  for (let d = 0; d < interest.length; d++) interest[d] += TEXT_INTEREST_RATE * (vector[d] - interest[d]);
  return interest;
}

/**
 * The text interest of a history of dense items, from row-major text vectors [nItems, dim]
 * (null for an empty history). Only the last `window` items count (their weights beyond it are < 0.1%).
 *
 * @example
 * const interest = textInterestOf(history, itemText.vectors, itemText.dim);
 */
export function textInterestOf(
  history: ArrayLike<number>,
  vectors: Float32Array,
  dim: number,
  window = 64,
): Float32Array | null {
  let interest: Float32Array | null = null;
  for (let k = Math.max(0, history.length - window); k < history.length; k++) {
    const item = history[k];
    interest = foldTextInterest(interest, vectors.subarray(item * dim, (item + 1) * dim));
  }
  return interest;
}
