import type { SequenceCorpus } from '../data/corpus.js';
import type { EvalCase } from '../data/split.js';
import type { CategoryPredictor } from '../models/model.js';

/**
 * How well P(c | u) predicts the category of the next event: accuracy = the most likely category is
 * one of the target item's; macro-F1 = the mean over categories of the F1 of "c is among the m most
 * likely" against "c is one of the target's m categories" (micro-averaged, with as many predicted as
 * true, precision, recall and F1 would all equal one number; macro-F1 also weighs the rare ones).
 */
export function evaluateCategories(
  predictor: CategoryPredictor,
  cases: readonly EvalCase[],
  corpus: SequenceCorpus,
  itemCategories: readonly (readonly string[])[],
): Record<string, number> {
  const names = predictor.categoryNames();
  if (!names) return {};
  const indexOf = new Map(names.map((n, i) => [n, i]));
  const distribution = new Float32Array(names.length);
  let counted = 0;
  let correctTop = 0;
  const truePositives = new Float64Array(names.length);
  const predictedCount = new Float64Array(names.length);
  const actualCount = new Float64Array(names.length);
  for (const kase of cases) {
    const truth = new Set(
      (itemCategories[kase.target] ?? []).map((c) => indexOf.get(c)).filter((c) => c !== undefined),
    );
    if (truth.size === 0) continue;
    predictor.categoryDistribution(
      {
        user: kase.user,
        history: kase.history,
        timestamps: corpus.timestamps?.subarray(kase.historyStart, kase.historyEnd),
      },
      distribution,
    );
    const ranked = Array.from(distribution.keys()).sort((a, b) => distribution[b] - distribution[a] || a - b);
    counted++;
    if (truth.has(ranked[0])) correctTop++;
    for (const c of ranked.slice(0, truth.size)) {
      predictedCount[c]++;
      if (truth.has(c)) truePositives[c]++;
    }
    for (const c of truth) actualCount[c]++;
  }
  if (counted === 0) return {};
  let f1Sum = 0;
  let present = 0;
  for (let c = 0; c < names.length; c++) {
    const denominator = predictedCount[c] + actualCount[c];
    if (denominator === 0) continue;
    f1Sum += (2 * truePositives[c]) / denominator;
    present++;
  }
  return {
    'Category accuracy': correctTop / counted,
    'Category macro-F1': f1Sum / present,
  };
}

export function isCategoryPredictor(model: object): model is CategoryPredictor {
  return typeof (model as Partial<CategoryPredictor>).categoryDistribution === 'function';
}
