/** One request's ranking: scores, filters, seen items, diversity, and the reasons of each pick. */

import type { Catalog } from './catalog.js';
import { explain } from './explain.js';
import type { Popularity } from './popularity.js';
import type { Retrieval } from './retrieval.js';
import {
  type CatalogScores,
  projectionCalibration,
  type ScoreAdjustment,
  scoreCandidates,
  scoreCatalog,
} from './scoring.js';
import { candidatePool, selectTop } from './select.js';
import type { TextMatrix } from './text-matrix.js';
import type { RecommendOptions, RecommendResult } from './types.js';
import { typeMask, type UserState } from './user-state.js';

const DEFAULT_K = 10;
/**
 * When behaviour and text are blended, each index is asked for this many candidates per item shown
 * (at least HYBRID_MIN_POOL): an item can lead the blend without leading either space alone.
 */
const HYBRID_POOL_FACTOR = 10;
const HYBRID_MIN_POOL = 100;

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
  /** Indices for a large catalogue (null: every item is scored). */
  retrieval?: Retrieval | null;
  /** The request's change of the behaviour scores (the model's time head), if any. */
  adjust?: ScoreAdjustment | null;
}

/** Scores by position, with the popularity counts when popularity ranked. */
type RankScores = CatalogScores & { counts: Float64Array | null };

/**
 * Ranks the catalogue for one request. With neither a user vector nor a text vector, items rank by
 * popularity. With `retrieval`, only the candidates its indices return are scored.
 *
 * @example
 * const result = rankCatalog({ catalog, texts, state, userVector, textVector: null, options: { k: 10 }, textWeight: 0, popularity });
 */
export function rankCatalog(input: RankInput): RecommendResult {
  const { catalog, state, userVector, options, textWeight } = input;
  const k = options.k ?? DEFAULT_K;
  const mask = typeMask(options.excludeSeen);
  const passes = itemFilter(catalog, options.filters);
  const allowed = (index: number) => !state?.hasSeen(index, mask) && passes(index);
  const scores = input.retrieval ? scoreFromIndices(input, input.retrieval, k, allowed) : scoreWhole(input);
  const itemAt = (position: number) => (scores.indices ? scores.indices[position] : position);
  const picked = selectTop(scores.total, {
    k,
    diversity: options.diversity,
    allowed: (position) => allowed(itemAt(position)),
    embedding: (position) => catalog.embedding(itemAt(position)) ?? null,
  });
  const a = userVector ? state?.diagnostics.a : undefined;
  const context = {
    catalog,
    state,
    facets: userVector ? (state?.facets ?? null) : null,
    a,
    textWeight,
  };
  return {
    userId: state?.userId ?? null,
    items: picked.map((position) => {
      const index = itemAt(position);
      return {
        itemId: catalog.ids[index],
        title: catalog.items[index]?.title,
        categories: catalog.items[index]?.categories,
        score: scores.total[position],
        reasons:
          options.explain === false
            ? []
            : explain(index, context, {
                total: scores.total[position],
                textSimilarity: scores.textSimilarity?.[position],
                popularity: scores.counts?.[position],
              }),
      };
    }),
    modelId: userVector ? (catalog.model?.id ?? null) : null,
    ...(a !== undefined && { shortTermShare: a, a }),
    textWeight: scores.textSimilarity ? textWeight : 0,
    events: state?.events ?? 0,
  };
}

/** Every item scored: exact, and fast for catalogues below the retrieval threshold. */
function scoreWhole(input: RankInput): RankScores {
  const { catalog, userVector, textVector } = input;
  if (!userVector && !textVector) {
    const counts = input.popularity.counts(catalog);
    const total = Float32Array.from(counts);
    return { indices: null, total, behaviour: null, textSimilarity: null, counts };
  }
  return {
    ...scoreCatalog(catalog, userVector, textVector, input.texts, input.textWeight, input.adjust),
    counts: null,
  };
}

/**
 * Candidates from the indices (filters and seen items applied inside the search, so k allowed items
 * come back), or the include list itself, scored exactly. Popularity ranks only the items with events.
 */
function scoreFromIndices(
  input: RankInput,
  retrieval: Retrieval,
  k: number,
  allowed: (index: number) => boolean,
): RankScores {
  const { catalog, userVector, textVector, texts, textWeight } = input;
  const behaviour = userVector ? retrieval.behaviour : null;
  const text = texts && textVector && (textWeight > 0 || !userVector) ? retrieval.text : null;
  if (!behaviour && !text) {
    if (userVector || textVector)
      return { ...scoreCandidates(catalog, new Int32Array(0), null, null, null, 0, null), counts: null };
    return popularCandidates(input, candidatePool(k, input.options.diversity), allowed);
  }
  const scored = (indices: Int32Array): RankScores => {
    const calibration = behaviour
      ? projectionCalibration(catalog, userVector!, behaviour.trainedStats(userVector!))
      : null;
    const stats = behaviour ? { all: behaviour.stats(userVector!, calibration), calibration } : null;
    return {
      ...scoreCandidates(catalog, indices, userVector, textVector, texts, textWeight, stats, input.adjust),
      counts: null,
    };
  };
  const include = input.options.filters?.include;
  // a short allow-list is scored whole: a filtered graph walk would visit most of the graph to find it
  if (include) return scored(ascending(include.flatMap((id) => catalog.indexOf(id) ?? []).filter(allowed)));
  const pool = candidatePool(k, input.options.diversity);
  const perSpace = behaviour && text ? Math.max(pool, k * HYBRID_POOL_FACTOR, HYBRID_MIN_POOL) : pool;
  const found = new Set<number>();
  if (behaviour) for (const id of behaviour.search(userVector!, perSpace, allowed).ids) found.add(id);
  if (text) for (const id of text.search(textVector!, perSpace, allowed).ids) found.add(id);
  // projected new items compete by their calibrated score, a per-request map of the raw score the
  // index holds, so the index's order is not theirs against trained items; they are few: all scored
  if (behaviour && catalog.projectionMoments)
    for (const [index, placement] of catalog.cold)
      if (placement.projected && allowed(index)) found.add(index);
  return scored(ascending(found));
}

/** Distinct catalogue indices in ascending order, so that ties break by index as in the whole path. */
function ascending(indices: Iterable<number>): Int32Array {
  return Int32Array.from(new Set(indices)).sort();
}

/**
 * Popularity without a pass over a large catalogue: the items with events, topped up with allowed
 * items without events (lowest index first) when fewer than `pool` of them are allowed, as the
 * whole path would show them.
 */
function popularCandidates(input: RankInput, pool: number, allowed: (index: number) => boolean): RankScores {
  const { catalog } = input;
  const countOf = input.popularity.countedItems(catalog);
  let allowedCount = 0;
  for (const index of countOf.keys()) if (allowed(index)) allowedCount++;
  for (let index = 0; index < catalog.size && allowedCount < pool; index++) {
    if (countOf.has(index) || !allowed(index)) continue;
    countOf.set(index, 0);
    allowedCount++;
  }
  const indices = ascending(countOf.keys());
  const counts = Float64Array.from(indices, (index) => countOf.get(index)!);
  return { indices, total: Float32Array.from(counts), behaviour: null, textSimilarity: null, counts };
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
