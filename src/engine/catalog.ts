/**
 * The items the engine can recommend under one model: the model's items first (catalogue index =
 * model index), then items that arrived later or that the model never saw ("cold"). A cold item gets
 * an embedding from its text: a text-aware model's own projection t · P when the engine's text encoder
 * is the one the model was trained with, else the similarity-weighted mean of its nearest warm
 * items' embeddings.
 */
import type { Item, ItemId } from '../core/types.js';
import { cosine } from '../text/vectors.js';
import { Moments } from './score-moments.js';
import type { ServingModel } from './serving-model.js';

/** How many warm text neighbours place a cold item, and how sharply their similarities weigh. */
const COLD_NEIGHBOURS = 10;
const COLD_TEMPERATURE = 0.05;

export interface ColdPlacement {
  vector: Float32Array;
  bias: number;
  neighbours: number[];
  /** Placed by the model's own t · P: its raw score is calibrated per query (`projectionCalibration`). */
  projected: boolean;
}

/**
 * Warm items whose projected text t · P enters the calibration moments: a sample is enough for a
 * mean and a standard deviation, and projecting a 1M-item catalogue would take minutes.
 */
const CALIBRATION_SAMPLE = 20_000;

export class Catalog {
  readonly ids: ItemId[] = [];
  readonly items: (Item | undefined)[] = [];
  readonly textVectors: (Float32Array | undefined)[] = [];
  /** Placements of cold items by catalogue index. */
  readonly cold = new Map<number, ColdPlacement>();
  /**
   * Moments of t · P over (a sample of) the warm items' texts, when cold items are placed by
   * projection: their scores sit far below the trained ones', so each query maps the distribution of
   * u · tP onto that of the trained items' scores. Offline evaluation (`matchTextOnlyScores`) maps
   * the held-out items' own distribution; online the new items may be one or two, so the trained
   * items' texts stand in for them.
   */
  readonly projectionMoments: Moments | null;
  /** The projected row each sampled warm item added to the moments, to take it back on a text change. */
  private readonly sampled = new Map<number, Float32Array>();
  private readonly indexById = new Map<ItemId, number>();

  /**
   * @param textEncoderId the engine's text encoder: a text-aware model projects cold items' text only
   *   when it was trained on this encoder's vectors.
   */
  constructor(
    readonly model: ServingModel | null,
    textEncoderId: string | null = null,
  ) {
    if (model) for (const id of model.itemIds) this.intern(id);
    const projects = model !== null && model.textEncoder !== null && model.textEncoder === textEncoderId;
    this.projectionMoments = projects ? new Moments(model.dim) : null;
  }

  get size(): number {
    return this.ids.length;
  }

  /** Items [0, warmCount) are the model's; the rest are cold. */
  get warmCount(): number {
    return this.model?.itemIds.length ?? 0;
  }

  indexOf(itemId: ItemId): number | undefined {
    return this.indexById.get(itemId);
  }

  /** The item's catalogue index, adding it (cold) when new. */
  intern(itemId: ItemId): number {
    let index = this.indexById.get(itemId);
    if (index === undefined) {
      index = this.ids.length;
      this.ids.push(itemId);
      this.items.push(undefined);
      this.textVectors.push(undefined);
      this.indexById.set(itemId, index);
    }
    return index;
  }

  /** Records an item's data and text vector; a cold item is (re)placed by its text. */
  upsert(item: Item, textVector?: Float32Array): number {
    const index = this.intern(item.itemId);
    this.items[index] = item;
    if (textVector) this.textVectors[index] = textVector;
    if (index >= this.warmCount && this.textVectors[index]) this.placeCold(index);
    else if (textVector) this.sampleProjection(index, textVector);
    return index;
  }

  /** The embedding the model scores item `index` with (null: a cold item with no text). */
  embedding(index: number): Float32Array | null {
    const model = this.model;
    if (!model) return null;
    if (index < this.warmCount) return model.itemVectors.subarray(index * model.dim, (index + 1) * model.dim);
    return this.cold.get(index)?.vector ?? null;
  }

  /** The model's bias for item `index` (0 for models without biases and for unplaced items). */
  bias(index: number): number {
    if (index < this.warmCount) return this.model?.itemBias?.[index] ?? 0;
    return this.cold.get(index)?.bias ?? 0;
  }

  private placeCold(index: number): void {
    const model = this.model;
    const text = this.textVectors[index];
    if (!model || !text) return;
    const best: { index: number; similarity: number }[] = [];
    for (let j = 0; j < this.warmCount; j++) {
      const other = this.textVectors[j];
      if (!other) continue;
      const similarity = cosine(text, other);
      if (best.length < COLD_NEIGHBOURS || similarity > best[best.length - 1].similarity) {
        best.push({ index: j, similarity });
        best.sort((a, b) => b.similarity - a.similarity);
        if (best.length > COLD_NEIGHBOURS) best.pop();
      }
    }
    const projected = this.projectionMoments ? model.projectText(text) : null;
    if (projected) {
      this.cold.set(index, {
        vector: projected,
        bias: 0,
        neighbours: best.map((b) => b.index),
        projected: true,
      });
      return;
    }
    if (best.length === 0) return;
    const dim = model.dim;
    const vector = new Float32Array(dim);
    const top = best[0].similarity;
    const weights = best.map((b) => Math.exp((b.similarity - top) / COLD_TEMPERATURE));
    const total = weights.reduce((a, b) => a + b, 0);
    let bias = 0;
    best.forEach((b, n) => {
      const w = weights[n] / total;
      const row = model.itemVectors.subarray(b.index * dim, (b.index + 1) * dim);
      for (let d = 0; d < dim; d++) vector[d] += w * row[d];
      bias += w * (model.itemBias?.[b.index] ?? 0);
    });
    this.cold.set(index, { vector, bias, neighbours: best.map((b) => b.index), projected: false });
  }

  /** Adds a warm item's t · P to the calibration moments (every k-th item: about CALIBRATION_SAMPLE). */
  private sampleProjection(index: number, text: Float32Array): void {
    const moments = this.projectionMoments;
    if (!moments || index % Math.ceil(this.warmCount / CALIBRATION_SAMPLE) !== 0) return;
    const previous = this.sampled.get(index);
    if (previous) moments.addRows(previous, -1);
    const row = this.model!.projectText(text);
    if (!row) return;
    moments.addRows(row, 1);
    this.sampled.set(index, row);
  }
}
