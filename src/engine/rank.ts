/** One request's ranking: scores, filters, seen items, diversity, and the reasons of each pick. */

import type { Catalog } from './catalog.js';
import { explain } from './explain.js';
import type { Popularity } from './popularity.js';
import { scoreCatalog } from './scoring.js';
import { selectTop } from './select.js';
import type { TextMatrix } from './text-matrix.js';
import type { RecommendOptions, RecommendResult } from './types.js';
import { typeMask, type UserState } from './user-state.js';

const DEFAULT_K = 10;

export interface RankInput {
  catalog: Catalog;
  texts: TextMatrix | null;
  state: UserState | null;
  /** The user's behaviour vector (null: no model or no events). */
  userVector: Float32Array | null;
  /** The text side: a query's vector or the user's text interest. */
  textVector: Float32Array | null;
  options: RecommendOptions;
  textWeight: number;
  popularity: Popularity;
}

/**
 * Ranks the catalogue for one request. With neither a user vector nor a text vector, items rank by
 * popularity.
 *
 * @example
 * const result = rankCatalog({ catalog, texts, state, userVector, textVector: null, options: { k: 10 }, textWeight: 0, popularity });
 */
export function rankCatalog(input: RankInput): RecommendResult {
  const { catalog, state, userVector, textVector, options, textWeight } = input;
  const usePopularity = !userVector && !textVector;
  const scores = usePopularity
    ? { total: input.popularity.scores(catalog), behaviour: null, textSimilarity: null }
    : scoreCatalog(catalog, userVector, textVector, input.texts, textWeight);
  const mask = typeMask(options.excludeSeen);
  const allowed = itemFilter(catalog, options.filters);
  const picked = selectTop(scores.total, {
    k: options.k ?? DEFAULT_K,
    diversity: options.diversity,
    allowed: (i) => !state?.hasSeen(i, mask) && allowed(i),
    embedding: (i) => catalog.embedding(i) ?? null,
  });
  const a = userVector ? state?.diagnostics.a : undefined;
  const context = {
    catalog,
    state,
    facets: userVector ? (state?.facets ?? null) : null,
    a,
    total: scores.total,
    textSimilarity: scores.textSimilarity,
    textWeight,
    popularity: usePopularity ? input.popularity.counts(catalog) : null,
  };
  return {
    userId: state?.userId ?? null,
    items: picked.map((i) => ({
      itemId: catalog.ids[i],
      title: catalog.items[i]?.title,
      categories: catalog.items[i]?.categories,
      score: scores.total[i],
      reasons: options.explain === false ? [] : explain(i, context),
    })),
    modelId: userVector ? (catalog.model?.id ?? null) : null,
    ...(a !== undefined && { a }),
    textWeight: scores.textSimilarity ? textWeight : 0,
    events: state?.events ?? 0,
  };
}

/** The business filters as one predicate over catalogue indices. */
function itemFilter(catalog: Catalog, filters: RecommendOptions['filters']): (index: number) => boolean {
  if (!filters) return () => true;
  const include = filters.include && new Set(filters.include);
  const exclude = filters.exclude && new Set(filters.exclude);
  const wanted = filters.categories && new Set(filters.categories);
  const unwanted = filters.excludeCategories && new Set(filters.excludeCategories);
  const attributes = filters.attributes && Object.entries(filters.attributes);
  return (index) => {
    const id = catalog.ids[index];
    if (include && !include.has(id)) return false;
    if (exclude?.has(id)) return false;
    const item = catalog.items[index];
    const categories = item?.categories ?? [];
    if (wanted && !categories.some((c) => wanted.has(c))) return false;
    if (unwanted && categories.some((c) => unwanted.has(c))) return false;
    if (attributes && !attributes.every(([key, value]) => item?.attributes?.[key] === value)) return false;
    return true;
  };
}
