/**
 * The hybrid score: behaviour plus text,
 *   score_i = (b_i − mean b) / std b + w · cos(text interest, text_i),
 * with the behaviour scores standardised over the items of one query so that one w fits every model
 * and user. Items the behaviour model cannot score (−∞) stay unrecommendable; items without text get
 * no text part.
 */

import { textInterestOf } from '../text/interest.js';
import { unitRows } from '../text/vectors.js';
import type { RecQuery, Scorer } from './model.js';

/**
 * Writes the hybrid scores of one query into `out`, standardising by `stats` when given (e.g. the
 * catalogue's when only candidates are scored), else by the finite scores in `behaviour`.
 *
 * @example
 * blendHybrid(behaviourByItem, similarityByItem, 0.5, scoresByItem);
 */
export function blendHybrid(
  behaviour: Float32Array,
  textSimilarity: Float32Array,
  weight: number,
  out: Float32Array,
  stats: { mean: number; std: number } = behaviourStats(behaviour),
): void {
  const { mean, std } = stats;
  for (let i = 0; i < behaviour.length; i++) {
    const b = behaviour[i];
    const s = textSimilarity[i];
    out[i] = (b - mean) / std + (Number.isNaN(s) ? 0 : weight * s);
  }
}

/** The mean and standard deviation (1 when undefined or zero) of the finite scores. */
export function behaviourStats(behaviour: Float32Array): { mean: number; std: number } {
  let sum = 0;
  let squares = 0;
  let count = 0;
  for (let i = 0; i < behaviour.length; i++) {
    const b = behaviour[i];
    if (!Number.isFinite(b)) continue;
    sum += b;
    squares += b * b;
    count++;
  }
  const mean = count > 0 ? sum / count : 0;
  const std = count > 1 ? Math.sqrt(Math.max(squares / count - mean * mean, 0)) || 1 : 1;
  return { mean, std };
}

/**
 * A scorer's scores blended with the text similarity of the user's text interest (the moving
 * average of their history's text vectors) to each item.
 *
 * @example
 * const hybrid = new HybridScorer(model, itemText, 0.5);
 * hybrid.scoreAll({ user: -1, history }, scoresByItem);
 */
export class HybridScorer implements Scorer {
  /** Unit text vectors, row-major [nItems, dim]. */
  private readonly rows: Float32Array;
  private behaviour = new Float32Array(0);
  private similarity = new Float32Array(0);

  constructor(
    private readonly base: Scorer,
    private readonly itemText: { readonly dim: number; readonly vectors: Float32Array },
    readonly weight: number,
  ) {
    this.rows = unitRows(itemText.vectors, itemText.dim);
  }

  observe(item: number, timeMs: number): void {
    this.base.observe?.(item, timeMs);
  }

  scoreAll(query: RecQuery, scoresByItem: Float32Array): void {
    const n = scoresByItem.length;
    if (this.behaviour.length !== n) {
      this.behaviour = new Float32Array(n);
      this.similarity = new Float32Array(n);
    }
    this.base.scoreAll(query, this.behaviour);
    const { dim } = this.itemText;
    const interest = textInterestOf(query.history, this.rows, dim);
    let norm = 0;
    if (interest) for (let d = 0; d < dim; d++) norm += interest[d] * interest[d];
    const scale = norm > 0 ? 1 / Math.sqrt(norm) : 0;
    for (let item = 0; item < n; item++) {
      let dot = 0;
      if (interest) for (let d = 0, o = item * dim; d < dim; d++) dot += this.rows[o + d] * interest[d];
      this.similarity[item] = dot * scale;
    }
    blendHybrid(this.behaviour, this.similarity, this.weight, scoresByItem);
  }

  lastDiagnostics(): Readonly<Record<string, number>> {
    return this.base.lastDiagnostics?.() ?? {};
  }
}
