/**
 * Scores of every catalogue item for one user: the model's behaviour score (item embedding · user
 * vector + bias; cold items through their text placement, calibrated when the model projected it),
 * blended with w · cosine(text interest, item text) by the same hybrid formula as offline evaluation
 * (`blendHybrid`).
 */
import { behaviourStats, blendHybrid } from '../models/hybrid.js';
import type { Catalog } from './catalog.js';
import type { ScoreStats } from './score-moments.js';
import type { TextMatrix } from './text-matrix.js';

export interface CatalogScores {
  /** The catalogue index at each position of the arrays below; null = all items, position = index. */
  indices: Int32Array | null;
  /** The total score each item is ranked by. */
  total: Float32Array;
  /** The behaviour part (null when there was no user vector). */
  behaviour: Float32Array | null;
  /** Cosine of the text query or interest with each item's text (null when none took part). */
  textSimilarity: Float32Array | null;
}

/**
 * Scores the catalogue for a user vector and/or a text vector. Items that neither part can score
 * get -Infinity and are never recommended.
 *
 * @example
 * const { total } = scoreCatalog(catalog, userVector, textInterest, texts, 0.2);
 */
export function scoreCatalog(
  catalog: Catalog,
  userVector: Float32Array | null,
  textVector: Float32Array | null,
  texts: TextMatrix | null,
  textWeight: number,
  adjust: ScoreAdjustment | null = null,
): CatalogScores {
  const n = catalog.size;
  const total = new Float32Array(n).fill(Number.NEGATIVE_INFINITY);
  let behaviour: Float32Array | null = null;
  const model = catalog.model;
  if (model && userVector) {
    behaviour = new Float32Array(n).fill(Number.NEGATIVE_INFINITY);
    model.score(userVector, behaviour.subarray(0, catalog.warmCount));
    adjust?.(behaviour.subarray(0, catalog.warmCount), null);
    for (const [index, placement] of catalog.cold) {
      let score = placement.bias;
      for (let d = 0; d < model.dim; d++) score += placement.vector[d] * userVector[d];
      behaviour[index] = score;
    }
    const trained = behaviourStats(behaviour.subarray(0, catalog.warmCount));
    calibrateProjected(catalog, null, behaviour, projectionCalibration(catalog, userVector, trained));
    total.set(behaviour);
  }
  let textSimilarity: Float32Array | null = null;
  if (texts && textVector && (textWeight > 0 || !behaviour)) {
    textSimilarity = texts.similarities(textVector, n);
    if (behaviour) blendHybrid(behaviour, textSimilarity, textWeight, total);
    else textOnly(textSimilarity, total);
  }
  return { indices: null, total, behaviour, textSimilarity };
}

/**
 * Scores only `indices` (candidates from the retrieval indices) by the same formula as
 * `scoreCatalog`: projected new items mapped by `stats.calibration`, the behaviour part standardised
 * by the catalogue-wide `stats.all`, so that a candidate scores what it would in the whole-catalogue
 * path.
 *
 * @example
 * const scores = scoreCandidates(catalog, candidates, userVector, null, null, 0, stats);
 */
export function scoreCandidates(
  catalog: Catalog,
  indices: Int32Array,
  userVector: Float32Array | null,
  textVector: Float32Array | null,
  texts: TextMatrix | null,
  textWeight: number,
  stats: { all: ScoreStats; calibration: Calibration | null } | null,
  adjust: ScoreAdjustment | null = null,
): CatalogScores {
  const n = indices.length;
  const total = new Float32Array(n).fill(Number.NEGATIVE_INFINITY);
  let behaviour: Float32Array | null = null;
  if (catalog.model && userVector) {
    behaviour = new Float32Array(n);
    indices.forEach((index, p) => {
      const embedding = catalog.embedding(index);
      let score = catalog.bias(index);
      if (embedding) for (let d = 0; d < embedding.length; d++) score += embedding[d] * userVector[d];
      behaviour![p] = embedding ? score : Number.NEGATIVE_INFINITY;
    });
    adjust?.(behaviour, indices);
    calibrateProjected(catalog, indices, behaviour, stats?.calibration ?? null);
    total.set(behaviour);
  }
  let textSimilarity: Float32Array | null = null;
  if (texts && textVector && (textWeight > 0 || !behaviour)) {
    textSimilarity = texts.similaritiesOf(textVector, indices);
    if (behaviour) blendHybrid(behaviour, textSimilarity, textWeight, total, stats?.all);
    else textOnly(textSimilarity, total);
  }
  return { indices, total, behaviour, textSimilarity };
}

/**
 * A change of the model items' behaviour scores made per request (the time head), before blending:
 * position p holds item `indices[p]` (null: item p); positions of cold items are left alone.
 */
export type ScoreAdjustment = (scores: Float32Array, indices: Int32Array | null) => void;

/** s ↦ offset + scale · s: how one query's raw scores of projected new items map onto the trained items'. */
export interface Calibration {
  offset: number;
  scale: number;
}

/**
 * The map of a user's raw scores u · tP of new items placed by the model's projection onto the
 * trained items' scores: s' = μ_trained + σ_trained · (s − μ_text) / σ_text, with μ_text and σ_text
 * those of u · tP over (a sample of) the trained items' own texts. Unmapped, a new item scores far
 * below every trained one and is never shown. Null when the catalogue projects no text.
 *
 * @example
 * const calibration = projectionCalibration(catalog, userVector, trainedStats);
 */
export function projectionCalibration(
  catalog: Catalog,
  userVector: Float32Array,
  trained: ScoreStats,
): Calibration | null {
  const moments = catalog.projectionMoments;
  if (!moments || moments.size < 2) return null;
  const text = moments.scoreStats(userVector);
  const scale = trained.std / text.std;
  return { offset: trained.mean - scale * text.mean, scale };
}

/** Applies `calibration` to the projected new items; `indices` maps positions to catalogue indices (null: the same). */
function calibrateProjected(
  catalog: Catalog,
  indices: Int32Array | null,
  behaviour: Float32Array,
  calibration: Calibration | null,
): void {
  if (!calibration) return;
  const calibrate = (position: number) => {
    behaviour[position] = calibration.offset + calibration.scale * behaviour[position];
  };
  if (indices) {
    indices.forEach((index, position) => {
      if (catalog.cold.get(index)?.projected) calibrate(position);
    });
  } else {
    for (const [index, placement] of catalog.cold) if (placement.projected) calibrate(index);
  }
}

/** With no behaviour score, text alone ranks; items without text stay out. */
function textOnly(textSimilarity: Float32Array, total: Float32Array): void {
  for (let i = 0; i < total.length; i++)
    total[i] = Number.isNaN(textSimilarity[i]) ? Number.NEGATIVE_INFINITY : textSimilarity[i];
}
