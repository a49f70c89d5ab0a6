/**
 * A saved neural model opened for serving: plain TypeScript, no tfjs. Wraps `NeuralRecommender` with
 * what the online engine needs: the model's item ids, its item embeddings (for reasons, diversity and
 * placing cold items), user encoding, and the recurrent stepper when the family has one.
 */
import { createHash } from 'node:crypto';
import { resolve } from 'node:path';
import type { ItemId } from '../core/types.js';
import { ItemTrend } from '../data/item-trend.js';
import type { RecQuery } from '../models/model.js';
import { encoderFor, servingFamily } from '../models/neural/families.js';
import type { RecurrentStepper } from '../models/neural/network.js';
import { type InterestFacet, NeuralRecommender } from '../models/neural/recommender.js';
import type { ModelManifest } from '../models/neural/saved-model.js';

export interface ServingModel {
  /** Stable id: family + creation time + a hash of the directory's manifest. */
  readonly id: string;
  readonly family: string;
  readonly dir: string;
  readonly dim: number;
  /** The window the encoder reads (the training maxLength). */
  readonly maxLength: number;
  /** Model item index -> external id. */
  readonly itemIds: readonly ItemId[];
  readonly categories: readonly string[] | null;
  /** Row-major [itemIds.length, dim] item embeddings, and per-item biases. */
  readonly itemVectors: Float32Array;
  readonly itemBias: Float32Array | null;
  readonly metrics: Readonly<Record<string, number>>;
  readonly manifest: ModelManifest;
  /** Encodes a history (model item indices) into `out` [dim]; returns figures such as `a`. */
  encode(query: RecQuery, out: Float32Array): Readonly<Record<string, number>>;
  /** Scores the model's items for a user vector into `out` [itemIds.length]. */
  score(userVector: Float32Array, out: Float32Array): void;
  /** Facets of the last `encode`, when the family has them. */
  lastFacets(): InterestFacet[] | null;
  /** Event-at-a-time update for recurrent families, else null. */
  readonly stepper: RecurrentStepper | null;
  /** The text encoder a text-aware model was trained with (null: the model reads no text). */
  readonly textEncoder: string | null;
  /** A text-aware model's embedding of an item known only by its text vector (t · P), else null. */
  projectText(text: Float32Array): Float32Array | null;
  /** The time head (what is popular now, weighed by the time since the user's last event), else null. */
  readonly timeHead: ServingTimeHead | null;
}

/** The serving side of a model's time head: a trend the engine feeds, and the adjustment of scores. */
export interface ServingTimeHead {
  /** Counts an event of model item `index` at `timeMs` in the trend; weight -1 takes one back. */
  observe(index: number, timeMs: number, weight?: number): void;
  /**
   * Adjusts the model items' scores (position p = item `indices[p]`, or p; other positions untouched)
   * for a request at `nowMs` from a user whose last event with a model item was at `lastAtMs`.
   */
  adjust(lastAtMs: number | null, nowMs: number, scores: Float32Array, indices?: Int32Array | null): void;
  /** The trend's share of the last adjusted scores. */
  lastTrendShare(): number;
}

/**
 * Opens a saved model directory for serving.
 *
 * @example
 * const model = await openServingModel('runs/sasrec-ml1m');
 * const user = new Float32Array(model.dim);
 * model.encode({ user: -1, history: Int32Array.from([10, 42]) }, user);
 */
export async function openServingModel(dir: string): Promise<ServingModel> {
  const { model, manifest } = await NeuralRecommender.load(dir, encoderFor);
  const trend = model.hasTimeHead ? new ItemTrend(manifest.itemIds.length, model.halfLives()) : null;
  if (trend) model.useTrend(trend);
  const { vectors, bias } = model.itemEmbeddings();
  // through the family's schema: a fused model keeps its window in longTerm
  const { maxLength } = (await servingFamily(manifest.family)()).configSchema.parse(manifest.config);
  const digest = createHash('sha256').update(JSON.stringify(manifest)).digest('hex').slice(0, 12);
  return {
    id: `${manifest.family}-${digest}`,
    family: manifest.family,
    dir: resolve(dir),
    dim: model.dim,
    maxLength,
    itemIds: manifest.itemIds,
    categories: manifest.categories ?? null,
    itemVectors: vectors,
    itemBias: bias,
    metrics: manifest.metrics,
    manifest,
    encode(query, out) {
      model.encodeUser(query, out);
      return model.lastDiagnostics();
    },
    score: (userVector, out) => model.scoreUser(userVector, out),
    lastFacets: () => model.lastFacets(),
    stepper: model.incremental(),
    textEncoder: manifest.textEncoder ?? null,
    timeHead: trend && {
      observe: (index, timeMs, weight = 1) => trend.add(index, timeMs, weight),
      adjust: (lastAtMs, nowMs, scores, indices = null) =>
        model.adjustForTime(lastAtMs === null ? undefined : [lastAtMs], nowMs, scores, indices),
      lastTrendShare: () => model.lastDiagnostics().trendShare ?? Number.NaN,
    },
    projectText(text) {
      const projection = model.textProjection();
      if (!projection || text.length !== projection.textDim) return null;
      const dim = projection.kernel.length / projection.textDim;
      const out = new Float32Array(dim);
      for (let t = 0; t < projection.textDim; t++) {
        const x = text[t];
        for (let c = 0; c < dim; c++) out[c] += x * projection.kernel[t * dim + c];
      }
      return out;
    },
  };
}
