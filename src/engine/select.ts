/**
 * From scores over the catalogue to the k items shown: the candidates that pass the filters, the
 * best by score, re-ranked by maximal marginal relevance (MMR) when diversity is asked for:
 *   pick argmax_i  λ·rel(i) − (1 − λ)·max_{j picked} sim(i, j)
 * with rel min-max normalised over the candidate pool and sim the cosine of item embeddings.
 */
import { cosine } from '../text/vectors.js';
import { TopK } from './vector-index/top-k.js';

/** How many of the best candidates MMR re-ranks, as a multiple of k (at least MMR_MIN_POOL). */
const MMR_POOL_FACTOR = 5;
const MMR_MIN_POOL = 50;

export interface SelectOptions {
  k: number;
  /** λ in [0, 1]; 1 (or undefined) = by score only. */
  diversity?: number;
  /** May item `index` be shown? */
  allowed: (index: number) => boolean;
  /** Embedding for MMR similarities (null: treated as dissimilar to everything). */
  embedding: (index: number) => Float32Array | null;
}

/**
 * The indices of the k best allowed items, best first (ties by lower index), MMR-diversified when
 * `diversity` < 1. Items with a non-finite score are never chosen.
 *
 * @example
 * selectTop(scoresByItem, { k: 10, allowed: (i) => !seen.has(i), embedding: (i) => rows(i) });
 */
export function selectTop(scoresByItem: Float32Array, options: SelectOptions): number[] {
  const lambda = options.diversity ?? 1;
  const pool = topIndices(scoresByItem, candidatePool(options.k, lambda), options.allowed);
  if (lambda >= 1 || pool.length <= 1) return pool.slice(0, options.k);
  return maximalMarginalRelevance(pool, scoresByItem, options.k, lambda, options.embedding);
}

/** How many of the best items `selectTop` considers for k picks at diversity λ. */
export function candidatePool(k: number, diversity = 1): number {
  return diversity < 1 ? Math.max(k * MMR_POOL_FACTOR, MMR_MIN_POOL) : k;
}

/** The `count` best allowed indices by score, best first (ties: the lower index). */
export function topIndices(
  scoresByItem: Float32Array,
  count: number,
  allowed: (index: number) => boolean,
): number[] {
  const top = new TopK(count);
  for (let i = 0; i < scoresByItem.length; i++) {
    const score = scoresByItem[i];
    // the cheap test first: most items cannot enter the list, so `allowed` is rarely asked
    if (Number.isFinite(score) && top.accepts(score, i) && allowed(i)) top.push(score, i);
  }
  return Array.from(top.sorted().ids);
}

function maximalMarginalRelevance(
  pool: number[],
  scoresByItem: Float32Array,
  k: number,
  lambda: number,
  embedding: (index: number) => Float32Array | null,
): number[] {
  const top = scoresByItem[pool[0]];
  const bottom = scoresByItem[pool[pool.length - 1]];
  const span = top - bottom || 1;
  const relevance = pool.map((i) => (scoresByItem[i] - bottom) / span);
  const vectors = pool.map(embedding);
  // the highest similarity of each pool item to anything picked so far
  const maxSimilarity = new Float64Array(pool.length).fill(0);
  const taken = new Uint8Array(pool.length);
  const picked: number[] = [];
  while (picked.length < Math.min(k, pool.length)) {
    let best = -1;
    let bestValue = Number.NEGATIVE_INFINITY;
    for (let p = 0; p < pool.length; p++) {
      if (taken[p]) continue;
      const value = lambda * relevance[p] - (1 - lambda) * maxSimilarity[p];
      if (value > bestValue) {
        bestValue = value;
        best = p;
      }
    }
    taken[best] = 1;
    picked.push(pool[best]);
    const chosen = vectors[best];
    if (!chosen) continue;
    for (let p = 0; p < pool.length; p++) {
      const v = vectors[p];
      if (!taken[p] && v) maxSimilarity[p] = Math.max(maxSimilarity[p], cosine(chosen, v));
    }
  }
  return picked;
}
