import type { SequenceCorpus } from '../data/corpus.js';
import type { EvalCase } from '../data/split.js';
import type { CategoryPredictor } from '../models/model.js';

/**
 * How well P(c | u) predicts the category of the next event: accuracy = the most likely category is
 * one of the target item's; precision, recall and F1 (micro-averaged) of the m most likely
 * categories against the target's m categories.
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
  let hits = 0;
  let predicted = 0;
  let actual = 0;
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
    const top = ranked.slice(0, truth.size);
    hits += top.filter((c) => truth.has(c)).length;
    predicted += top.length;
    actual += truth.size;
  }
  if (counted === 0) return {};
  const precision = hits / predicted;
  const recall = hits / actual;
  return {
    'Category accuracy': correctTop / counted,
    'Category precision': precision,
    'Category recall': recall,
    'Category F1': precision + recall > 0 ? (2 * precision * recall) / (precision + recall) : 0,
  };
}

export function isCategoryPredictor(model: object): model is CategoryPredictor {
  return typeof (model as Partial<CategoryPredictor>).categoryDistribution === 'function';
}
