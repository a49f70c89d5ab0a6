/**
 * The rating head's names and plain-TS inference; fitting it lives in training/rating-head.ts.
 * r(u, i) = mu + b_u + b_i + x · A · [q_i, 1], clamped to the rating range: the bias baseline's terms
 * (b_u from the ratings of the query's history), plus what the user's features x say about the
 * item's output vector q_i. x = [h, z]: the sequence state h, and the taste z = the history's item
 * vectors weighted by how much more (or less) each was liked than the biases predict, over sqrt(n)
 * (the user side of Koren's asymmetric SVD, on the model's own item vectors).
 */

import { TideError } from '../../core/errors.js';
import { clampedRating, historyBias, type RatingBiases } from '../bias/rating-biases.js';
import type { NamedWeights } from './network.js';

/** A: [2 dim, dim + 1], rows for h then z, the last column against the constant 1. */
export const RATING_KERNEL = 'rating/kernel';
export const RATING_ITEM_BIAS = 'rating/item_bias';
/** [mu, user damping, lowest rating, highest rating]. */
export const RATING_SCALARS = 'rating/scalars';

/** The rating head on the validation cases: RMSE of its biases alone and of the whole head. */
export interface RatingHeadFitReport {
  rmseBiasesOnly: number;
  rmseWithHead: number;
  cases: number;
  /** Whether the kernel's term was kept (its RMSE is below the biases' alone). */
  kept: boolean;
}

/** Refuses rating weights of other shapes than a model of this width reads (a damaged file). */
export function checkRatingWeights(weights: NamedWeights, dim: number): void {
  const expected: Record<string, (shape: readonly number[]) => boolean> = {
    [RATING_KERNEL]: (shape) => shape.length === 2 && shape[0] === 2 * dim && shape[1] === dim + 1,
    [RATING_SCALARS]: (shape) => shape.length === 1 && shape[0] === 4,
    [RATING_ITEM_BIAS]: (shape) => shape.length === 1,
  };
  for (const [name, fits] of Object.entries(expected)) {
    const weight = weights.get(name);
    if (weight && !fits(weight.shape))
      throw new TideError(
        'INVALID_INPUT',
        `model weights: "${name}" has shape [${weight.shape.join(', ')}], not what a model of width ${dim} reads`,
      );
  }
  if (weights.has(RATING_KERNEL) && !weights.has(RATING_SCALARS))
    throw new TideError('INVALID_INPUT', `model weights: "${RATING_KERNEL}" without "${RATING_SCALARS}"`);
}

/** The head's biases as saved weights. */
export function ratingBiasWeights(biases: RatingBiases): NamedWeights {
  const { globalMean, userDamping, range, itemBias } = biases;
  return new Map([
    [RATING_ITEM_BIAS, { shape: [itemBias.length], data: Float32Array.from(itemBias) }],
    [RATING_SCALARS, { shape: [4], data: Float32Array.of(globalMean, userDamping, range[0], range[1]) }],
  ]);
}

/** The biases of a saved head (user biases come from each query's history). */
export function ratingBiasesOf(weights: NamedWeights): RatingBiases | null {
  const scalars = weights.get(RATING_SCALARS)?.data;
  const itemBias = weights.get(RATING_ITEM_BIAS)?.data;
  if (!scalars || !itemBias) return null;
  return {
    globalMean: scalars[0],
    userDamping: scalars[1],
    range: [scalars[2], scalars[3]],
    itemBias: Float64Array.from(itemBias),
    userBias: new Float64Array(0),
    userRatings: new Int32Array(0),
  };
}

/**
 * The taste z of a history: sum of (r_j - mu - b_u - b_j) q_j over its rated events, over sqrt(n).
 * `table` is the output table, [numItems + 1, dim] with row 0 padding.
 */
export function historyTaste(
  biases: RatingBiases,
  table: Float32Array,
  history: { items: ArrayLike<number>; values?: ArrayLike<number> },
  out: Float32Array,
): void {
  out.fill(0);
  const { items, values } = history;
  if (!values) return;
  const dim = out.length;
  const userBias = historyBias(biases, items, values);
  let rated = 0;
  for (let k = 0; k < items.length; k++) {
    if (Number.isNaN(values[k])) continue;
    const residual = values[k] - biases.globalMean - userBias - (biases.itemBias[items[k]] ?? 0);
    const row = (items[k] + 1) * dim;
    for (let d = 0; d < dim; d++) out[d] += residual * table[row + d];
    rated++;
  }
  if (rated > 0) for (let d = 0; d < dim; d++) out[d] /= Math.sqrt(rated);
}

/** x · A · [q, 1] for features x = [h, z] and a kernel [2 dim, dim + 1]. */
export function ratingInteraction(
  kernel: Float32Array,
  features: Float32Array,
  itemVector: Float32Array,
): number {
  const dim = itemVector.length;
  let sum = 0;
  for (let a = 0; a < features.length; a++) {
    const row = a * (dim + 1);
    let inner = kernel[row + dim];
    for (let b = 0; b < dim; b++) inner += kernel[row + b] * itemVector[b];
    sum += features[a] * inner;
  }
  return sum;
}

/**
 * The head's rating of `item` for a user in state `state` with this history; `table` is the model's
 * output table, `scratch` holds 2 dim floats.
 */
export function predictWithRatingHead(
  weights: NamedWeights,
  biases: RatingBiases,
  table: Float32Array,
  state: Float32Array,
  item: number,
  history: { items: ArrayLike<number>; values?: ArrayLike<number> },
  scratch: Float32Array,
): number {
  const userBias = historyBias(biases, history.items, history.values);
  const kernel = weights.get(RATING_KERNEL)?.data;
  if (!kernel) return clampedRating(biases, userBias, item);
  const dim = state.length;
  scratch.set(state);
  historyTaste(biases, table, history, scratch.subarray(dim, 2 * dim));
  const itemVector = table.subarray((item + 1) * dim, (item + 2) * dim);
  return clampedRating(biases, userBias, item, ratingInteraction(kernel, scratch, itemVector));
}
