/** Reasons for one recommended item, from the state and the model's figures of the same request. */
import type { InterestFacet } from '../models/neural/recommender.js';
import { cosine } from '../text/vectors.js';
import type { Catalog } from './catalog.js';
import type { Reason } from './types.js';
import type { UserState } from './user-state.js';

/** At most this many recent items are named per recommendation. */
const RECENT_REASONS = 2;

export interface ExplainContext {
  catalog: Catalog;
  state: UserState | null;
  facets: InterestFacet[] | null;
  /** The fused model's short-term share, when it has one. */
  a: number | undefined;
  textWeight: number;
}

/** One item's figures from the request's scoring. */
export interface ItemFigures {
  /** The total score (the hybrid one when the text space took part). */
  total: number;
  /** Cosine of the text query or interest with the item's text, when text took part. */
  textSimilarity: number | undefined;
  /** The item's event count, when popularity ranked. */
  popularity: number | undefined;
}

/**
 * The reasons for recommending catalogue item `index`.
 *
 * @example
 * explain(42, { catalog, state, facets: null, a: 0.3, textWeight: 0.2 }, { total: 1.2, textSimilarity: 0.4, popularity: undefined });
 */
export function explain(index: number, context: ExplainContext, figures: ItemFigures): Reason[] {
  const { catalog, state } = context;
  const reasons: Reason[] = [];
  const embedding = catalog.embedding(index);
  if (state && embedding) {
    const similar = new Map<number, number>();
    for (const event of state.recent) {
      const other = catalog.embedding(event.index);
      if (other && event.index !== index) similar.set(event.index, cosine(embedding, other));
    }
    for (const [item, similarity] of [...similar]
      .filter(([, s]) => s > 0)
      .sort((x, y) => y[1] - x[1])
      .slice(0, RECENT_REASONS)) {
      reasons.push({
        kind: 'recent-item',
        itemId: catalog.ids[item],
        title: catalog.items[item]?.title,
        similarity,
      });
    }
  }
  if (context.facets && embedding) {
    let best = -1;
    let bestScore = Number.NEGATIVE_INFINITY;
    // the interest the item belongs to; the state after the latest events (a facets model on a
    // SASRec) is no interest of its own, and the recent items already speak for it
    context.facets.forEach((facet, k) => {
      if (facet.latest) return;
      const score = dot(facet.vector, embedding);
      if (score > bestScore) {
        bestScore = score;
        best = k;
      }
    });
    const facet = context.facets[best];
    if (facet) reasons.push({ kind: 'facet', facet: best, label: facet.label, weight: facet.weight });
  }
  if (context.a !== undefined) reasons.push({ kind: 'short-long', shortTermShare: context.a, a: context.a });
  const similarity = figures.textSimilarity;
  if (similarity !== undefined && !Number.isNaN(similarity) && context.textWeight > 0) {
    const textPart = Math.abs(context.textWeight * similarity);
    // total = standardised behaviour + w · similarity (see blendHybrid)
    const behaviourPart = Math.abs(figures.total - context.textWeight * similarity);
    const share = textPart + behaviourPart > 0 ? textPart / (textPart + behaviourPart) : 1;
    if (share >= 0.05) reasons.push({ kind: 'text', similarity, share });
  }
  const placement = catalog.cold.get(index);
  if (placement)
    reasons.push({ kind: 'cold-item', neighbours: placement.neighbours.map((n) => catalog.ids[n]) });
  if (!state?.events && figures.popularity !== undefined)
    reasons.push({ kind: 'popular', events: Math.round(figures.popularity) });
  return reasons;
}

function dot(a: Float32Array, b: Float32Array): number {
  let sum = 0;
  for (let d = 0; d < a.length; d++) sum += a[d] * b[d];
  return sum;
}
