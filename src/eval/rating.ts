import { RATING_TYPE } from '../core/types.js';
import type { SequenceCorpus } from '../data/corpus.js';
import type { EvalCase } from '../data/split.js';
import type { RatingPredictor } from '../models/model.js';
import { meanAbsoluteError, meanSquaredError } from './metrics.js';
import { queryOf } from './protocol.js';

/** MSE, RMSE and MAE of predicted ratings on the cases whose target is a rating with a value (none: {}). */
export function evaluateRatings(
  predictor: RatingPredictor,
  cases: readonly EvalCase[],
  corpus: SequenceCorpus,
): Record<string, number> {
  const predicted: number[] = [];
  const actual: number[] = [];
  for (const kase of cases) {
    if (!isRatingCase(kase, corpus)) continue;
    predicted.push(predictor.predictRating(queryOf(kase, corpus), kase.target));
    actual.push(kase.targetValue);
  }
  if (predicted.length === 0) return {};
  const mse = meanSquaredError(predicted, actual);
  return { MSE: mse, RMSE: Math.sqrt(mse), MAE: meanAbsoluteError(predicted, actual) };
}

/** Whether the case's target is a rating event with a value (`corpus`: the one its positions index). */
export function isRatingCase(kase: EvalCase, corpus: SequenceCorpus): boolean {
  return corpus.types[kase.historyEnd] === RATING_TYPE && !Number.isNaN(kase.targetValue);
}

export function isRatingPredictor(model: object): model is RatingPredictor {
  const predictor = model as Partial<RatingPredictor>;
  return typeof predictor.predictRating === 'function' && (predictor.predictsRatings?.() ?? true);
}
