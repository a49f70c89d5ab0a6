/**
 * Tunes w of the hybrid score (behaviour + w · text similarity) on validation cases: the w with the
 * best NDCG@10 on a grid. The model must not have trained on the validation targets (neural models
 * fitted with validation cases train on what precedes them).
 */
import { Rng } from '../core/random.js';
import type { EvalCase } from '../data/split.js';
import { HybridScorer } from '../models/hybrid.js';
import type { Scorer } from '../models/model.js';
import { evaluateRanking, type RankingOptions } from './protocol.js';

export const TEXT_WEIGHT_GRID = [0, 0.1, 0.25, 0.5, 1, 2, 4] as const;
/** Validation cases used per grid point (a seeded sample beyond this). */
const MAX_CASES = 2000;

export interface TextWeightTuning {
  weight: number;
  /** Validation NDCG@10 per grid weight. */
  ndcgByWeight: Record<string, number>;
}

/**
 * The grid weight with the best validation NDCG@10 (ties: the smaller weight).
 *
 * @example
 * const { weight } = tuneTextWeight(model, itemText, split.cases('valid'), rankingOptions);
 */
export function tuneTextWeight(
  scorer: Scorer,
  itemText: { readonly dim: number; readonly vectors: Float32Array },
  cases: readonly EvalCase[],
  options: RankingOptions,
  seed = 42,
): TextWeightTuning {
  const sample = cases.length <= MAX_CASES ? cases : new Rng(seed).shuffle(cases.slice()).slice(0, MAX_CASES);
  const ndcgByWeight: Record<string, number> = {};
  let best = { weight: 0, ndcg: Number.NEGATIVE_INFINITY };
  for (const weight of TEXT_WEIGHT_GRID) {
    const result = evaluateRanking(new HybridScorer(scorer, itemText, weight), sample, {
      ...options,
      ks: [10],
    });
    const ndcg = result.metrics['NDCG@10'];
    ndcgByWeight[String(weight)] = ndcg;
    if (ndcg > best.ndcg) best = { weight, ndcg };
  }
  return { weight: best.weight, ndcgByWeight };
}
