import type { EvalCase } from '../data/split.js';
import type { RatingPredictor } from '../models/model.js';
import { meanAbsoluteError, meanSquaredError } from './metrics.js';

/** MSE, RMSE and MAE of predicted ratings on the cases whose target carries a value. */
export function evaluateRatings(
  predictor: RatingPredictor,
  cases: readonly EvalCase[],
): Record<string, number> {
  const predicted: number[] = [];
  const actual: number[] = [];
  for (const kase of cases) {
    if (Number.isNaN(kase.targetValue)) continue;
    predicted.push(predictor.predictRating(kase.user, kase.target));
    actual.push(kase.targetValue);
  }
  const mse = meanSquaredError(predicted, actual);
  return { MSE: mse, RMSE: Math.sqrt(mse), MAE: meanAbsoluteError(predicted, actual) };
}

export function isRatingPredictor(model: object): model is RatingPredictor {
  return typeof (model as Partial<RatingPredictor>).predictRating === 'function';
}
