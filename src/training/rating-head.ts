import * as tf from '@tensorflow/tfjs';
import { type SequenceCorpus, userOfEvents } from '../data/corpus.js';
import { evenSpread } from '../data/split.js';
import { evaluateRatings, isRatingCase } from '../eval/rating.js';
import { BiasConfig } from '../models/bias/config.js';
import {
  clampedRating,
  fitRatingBiases,
  historyBias,
  queryUserBias,
  ratingsOf,
} from '../models/bias/rating-biases.js';
import type { FitData, RecQuery } from '../models/model.js';
import type { NamedWeights, SequenceNetwork } from '../models/neural/network.js';
import {
  historyTaste,
  RATING_ITEM_BIAS,
  RATING_KERNEL,
  RATING_SCALARS,
  type RatingHeadFitReport,
  ratingBiasesOf,
  ratingBiasWeights,
} from '../models/neural/rating-head.js';
import type { NeuralRecommender } from '../models/neural/recommender.js';
import { type StateSampling, sampledStates } from './sampled-states.js';

export interface RatingHeadOptions extends StateSampling {
  steps: number;
  /** L2 penalty on the kernel. */
  l2: number;
}

/** Validation cases the check reads at most (an even spread of them). */
const MAX_CHECKED = 5000;

/**
 * Fits the rating head (models/neural/rating-head.ts) of a trained network: the bias baseline's
 * terms on every rating of the corpus, then the kernel on the frozen network's states and the
 * history's taste before sampled rated events, by full-batch Adam on the squared error of what the
 * biases leave (each event's user bias from the ratings before it, as a query's history gives it).
 * Null without ratings.
 *
 * @example
 * const head = fitRatingHead(network, corpus, itemTable, { ...sampling, steps: 300, l2: 1e-3 });
 */
export function fitRatingHead(
  network: SequenceNetwork,
  corpus: SequenceCorpus,
  /** The network's output table, [numItems + 1, dim] (row 0 padding). */
  itemTable: Float32Array,
  options: RatingHeadOptions,
): NamedWeights | null {
  const values = ratingsOf(corpus.values, corpus.types);
  if (!values) return null;
  const biases = fitRatingBiases(corpus, BiasConfig.parse({}));
  const userOf = userOfEvents(corpus);
  const rated = (p: number) => !Number.isNaN(values[p]);
  const { states, positions, dim } = sampledStates(network, corpus, options, rated);
  const n = positions.length;
  const out = ratingBiasWeights(biases);
  if (n === 0) return out;
  const residuals = new Float32Array(n);
  const features = new Float32Array(n * 2 * dim);
  const items = new Float32Array(n * (dim + 1));
  positions.forEach((p, k) => {
    const start = corpus.offsets[userOf[p]];
    const history = { items: corpus.items.subarray(start, p), values: values.subarray(start, p) };
    const item = corpus.items[p];
    const userBias = historyBias(biases, history.items, history.values);
    residuals[k] = values[p] - (biases.globalMean + userBias + biases.itemBias[item]);
    features.set(states.subarray(k * dim, (k + 1) * dim), k * 2 * dim);
    historyTaste(biases, itemTable, history, features.subarray(k * 2 * dim + dim, (k + 1) * 2 * dim));
    items.set(itemTable.subarray((item + 1) * dim, (item + 2) * dim), k * (dim + 1));
    items[k * (dim + 1) + dim] = 1;
  });
  const kernel = tf.variable(tf.zeros([2 * dim, dim + 1]));
  const [x, q, y] = [
    tf.tensor2d(features, [n, 2 * dim]),
    tf.tensor2d(items, [n, dim + 1]),
    tf.tensor1d(residuals),
  ];
  const optimizer = tf.train.adam(0.01);
  for (let step = 0; step < options.steps; step++) {
    optimizer.minimize(
      () => {
        const predicted = tf.matMul(x, kernel).mul(q).sum(1);
        return tf.losses
          .meanSquaredError(y, predicted)
          .add(kernel.square().sum().mul(options.l2)) as tf.Scalar;
      },
      false,
      [kernel],
    );
  }
  const fitted = Float32Array.from(kernel.dataSync() as Float32Array);
  out.set(RATING_KERNEL, { shape: [2 * dim, dim + 1], data: fitted });
  tf.dispose([kernel, x, q, y]);
  optimizer.dispose();
  return out;
}

/**
 * Predicts the validation cases' ratings with the head and with its biases alone; the kernel's
 * term stays only when its RMSE is lower. Null when the model has no rating head or no case has a rating.
 */
export function checkRatingHead(
  model: NeuralRecommender,
  validation: NonNullable<FitData['validation']>,
): RatingHeadFitReport | null {
  const biases = ratingBiasesOf(model.weightsNamed([RATING_ITEM_BIAS, RATING_SCALARS]));
  if (!biases || !model.weightsNamed([RATING_KERNEL]).size) return null;
  // an even spread of the cases with a rating, each predicted with the head and with its biases
  const rated = validation.cases.filter((kase) => isRatingCase(kase, validation.casesCorpus));
  if (rated.length === 0) return null;
  const cases = evenSpread(rated, MAX_CHECKED);
  const biasesOnly = {
    predictRating: (query: RecQuery, item: number) =>
      clampedRating(biases, queryUserBias(biases, query), item),
  };
  const withHead = evaluateRatings(model, cases, validation.casesCorpus).RMSE!;
  const alone = evaluateRatings(biasesOnly, cases, validation.casesCorpus).RMSE!;
  const report = {
    rmseBiasesOnly: alone,
    rmseWithHead: withHead,
    cases: cases.length,
    kept: withHead < alone,
  };
  if (!report.kept) model.dropWeights([RATING_KERNEL]);
  return report;
}
