import { TideError } from '../../core/errors.js';
import { RATING_TYPE } from '../../core/types.js';
import type { SequenceCorpus } from '../../data/corpus.js';
import type { RecQuery } from '../model.js';
import type { BiasConfig } from './config.js';

/**
 * r(u, i) = mu + b_u + b_i with damped means, clamped to the rating range seen in training: the bias
 * baseline's numbers, and the part of a neural model's rating head that is not learned from its
 * states. A user's bias comes from their own ratings: those of training (by user index) or those of
 * the history a query carries (folded in the same way, for users the fit never saw).
 */
export interface RatingBiases {
  globalMean: number;
  userBias: Float64Array;
  /** How many ratings of each user the fit saw (a user with none folds in from the query). */
  userRatings: Int32Array;
  itemBias: Float64Array;
  userDamping: number;
  range: [number, number];
}

/**
 * The values of `rating` events, NaN elsewhere: what other events carry (a purchase's amount) is
 * not a rating. Null when no event is a rating with a value.
 */
export function ratingsOf(
  values: Float32Array | null | undefined,
  types: Uint8Array | undefined,
): Float32Array | null {
  if (!values || !types) return null;
  const out = new Float32Array(values.length);
  let any = false;
  for (let p = 0; p < values.length; p++) {
    out[p] = types[p] === RATING_TYPE ? values[p] : Number.NaN;
    any ||= !Number.isNaN(out[p]);
  }
  return any ? out : null;
}

/**
 * Fits the biases by alternating rounds of item then user means of the residuals.
 *
 * @example
 * const biases = fitRatingBiases(corpus, BiasConfig.parse({}));
 */
export function fitRatingBiases(corpus: SequenceCorpus, config: BiasConfig): RatingBiases {
  const values = ratingsOf(corpus.values, corpus.types);
  if (!values)
    throw new TideError(
      'INVALID_INPUT',
      'rating prediction needs rating events with values, and this data has none',
    );
  let sum = 0;
  let count = 0;
  let [low, high] = [Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY];
  for (const v of values) {
    if (Number.isNaN(v)) continue;
    sum += v;
    count++;
    low = Math.min(low, v);
    high = Math.max(high, v);
  }
  const biases: RatingBiases = {
    globalMean: sum / count,
    userBias: new Float64Array(corpus.nUsers),
    userRatings: new Int32Array(corpus.nUsers),
    itemBias: new Float64Array(corpus.nItems),
    userDamping: config.userDamping,
    range: [low, high],
  };
  const { userBias, userRatings, itemBias, globalMean } = biases;
  forEachRating(corpus, values, (u) => {
    userRatings[u]++;
  });
  for (let round = 0; round < config.rounds; round++) {
    const itemSum = new Float64Array(corpus.nItems);
    const itemCount = new Float64Array(corpus.nItems);
    forEachRating(corpus, values, (u, i, r) => {
      itemSum[i] += r - globalMean - userBias[u];
      itemCount[i]++;
    });
    for (let i = 0; i < corpus.nItems; i++) itemBias[i] = itemSum[i] / (itemCount[i] + config.itemDamping);
    for (let u = 0; u < corpus.nUsers; u++) {
      const start = corpus.offsets[u];
      const end = corpus.offsets[u + 1];
      userBias[u] = historyBias(biases, corpus.items.subarray(start, end), values.subarray(start, end));
    }
  }
  return biases;
}

/** A user's bias from their rated events: the damped mean of r - mu - b_i. */
export function historyBias(
  biases: Pick<RatingBiases, 'globalMean' | 'itemBias' | 'userDamping'>,
  items: ArrayLike<number>,
  values: ArrayLike<number> | undefined,
): number {
  if (!values) return 0;
  let sum = 0;
  let count = 0;
  for (let k = 0; k < items.length; k++) {
    if (Number.isNaN(values[k])) continue;
    sum += values[k] - biases.globalMean - (biases.itemBias[items[k]] ?? 0);
    count++;
  }
  return count + biases.userDamping > 0 ? sum / (count + biases.userDamping) : 0;
}

/**
 * The query user's bias: the fitted one for a user whose ratings the fit saw, else from the ratings
 * in the query's history (a model that keeps no user biases always folds in).
 */
export function queryUserBias(biases: RatingBiases, query: RecQuery): number {
  if (ratedInFit(biases, query.user)) return biases.userBias[query.user];
  return historyBias(biases, query.history, ratingsOf(query.values, query.types) ?? undefined);
}

/** Whether the fit saw ratings of this user (index -1: a user it never saw). */
export function ratedInFit(biases: RatingBiases, user: number): boolean {
  return user >= 0 && user < biases.userRatings.length && biases.userRatings[user] > 0;
}

/** mu + b_u + b_i (+ what a model adds), clamped to the range. */
export function clampedRating(biases: RatingBiases, userBias: number, item: number, extra = 0): number {
  const raw = biases.globalMean + userBias + (biases.itemBias[item] ?? 0) + extra;
  return Math.min(biases.range[1], Math.max(biases.range[0], raw));
}

function forEachRating(
  corpus: SequenceCorpus,
  values: Float32Array,
  visit: (user: number, item: number, rating: number) => void,
): void {
  for (let u = 0; u < corpus.nUsers; u++) {
    for (let p = corpus.offsets[u]; p < corpus.offsets[u + 1]; p++) {
      if (!Number.isNaN(values[p])) visit(u, corpus.items[p], values[p]);
    }
  }
}
