/**
 * Does a fused model's gate carry anything? Its validation ranking with a per user and moment, against
 * the same with a held at its mean: a gate that ranks no better than a constant is folded into that
 * constant (`FIXED_GATE`) and not reported, so the product never shows a number that says nothing.
 */
import { type EvalCase, evenSpread } from '../../data/split.js';
import type { FitData, RecQuery } from '../model.js';

/** Saved-weight name of a folded gate: [1], the constant a. Families with a gate honour it. */
export const FIXED_GATE = 'gate/fixed';

/** Validation cases the check reads, at most (an even spread of them). */
const MAX_CASES = 3000;

/** What the check measured, and whether the gate was kept. */
export interface GateCheckReport {
  /** a over the validation cases: mean and quantiles. */
  mean: number;
  p10: number;
  p50: number;
  p90: number;
  /** NDCG@10 of the cases with the learned gate, and with a fixed at its mean. */
  ndcgLearned: number;
  ndcgFixed: number;
  cases: number;
  /** Kept only when the learned gate ranks the cases better than the constant. */
  kept: boolean;
}

/** How the check drives the model: score a query (reporting `a` when it has a gate), fix or free a. */
export interface GatedScorer {
  score(query: RecQuery, scoresByItem: Float32Array): void;
  /** a of the last `score`, undefined when the model has no (free) gate. */
  lastGate(): number | undefined;
  /** Holds a at `value`, or frees it with null. */
  fixGate(value: number | null): void;
}

/**
 * Runs the check on the validation cases and leaves the model with the gate kept or folded; null
 * when the model reports no gate.
 */
export function checkGate(
  validation: NonNullable<FitData['validation']>,
  model: GatedScorer,
): GateCheckReport | null {
  const cases = evenSpread(validation.cases, MAX_CASES);
  if (cases.length === 0) return null;
  const scores = new Float32Array(validation.casesCorpus.nItems);
  // a model without a (free) gate says so on its first case: nothing to check
  model.score(queryOf(validation, cases[0]), scores);
  if (model.lastGate() === undefined) return null;
  const gates = new Float64Array(cases.length);
  const ndcg = (onCase?: (k: number) => void) => {
    let sum = 0;
    cases.forEach((kase, k) => {
      model.score(queryOf(validation, kase), scores);
      onCase?.(k);
      sum += ndcgAt10(scores, kase);
    });
    return sum / cases.length;
  };
  const ndcgLearned = ndcg((k) => {
    gates[k] = model.lastGate() ?? Number.NaN;
  });
  const sorted = Float64Array.from(gates).sort();
  const quantile = (q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))];
  const mean = gates.reduce((s, a) => s + a, 0) / gates.length;
  model.fixGate(mean);
  const ndcgFixed = ndcg();
  const kept = ndcgLearned > ndcgFixed;
  if (kept) model.fixGate(null);
  return {
    mean,
    p10: quantile(0.1),
    p50: quantile(0.5),
    p90: quantile(0.9),
    ndcgLearned,
    ndcgFixed,
    cases: cases.length,
    kept,
  };
}

function queryOf(validation: NonNullable<FitData['validation']>, kase: EvalCase): RecQuery {
  const { timestamps, types } = validation.casesCorpus;
  return {
    user: kase.user,
    history: kase.history,
    timestamps: timestamps?.subarray(kase.historyStart, kase.historyEnd),
    types: types?.subarray(kase.historyStart, kase.historyEnd),
  };
}

/** NDCG@10 of the case's target among the items outside the history (the target itself included). */
function ndcgAt10(scores: Float32Array, kase: EvalCase): number {
  const target = scores[kase.target];
  const history = new Set(kase.history);
  let rank = 0;
  for (let i = 0; i < scores.length && rank < 10; i++) {
    if (i !== kase.target && !history.has(i) && scores[i] > target) rank++;
  }
  return rank < 10 ? 1 / Math.log2(rank + 2) : 0;
}
