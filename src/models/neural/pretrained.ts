import { ItemTrend } from '../../data/item-trend.js';
import type {
  CategoryPredictor,
  FitData,
  FitReport,
  RatingPredictor,
  Recommender,
  RecQuery,
} from '../model.js';
import type { ItemTextVectors } from './network.js';

/**
 * A trained model evaluated on a data set whose dense item indices may differ from the model's:
 * histories are mapped to the model's indices by external id (unknown items dropped), and items the
 * model never saw score lowest. `fit` does nothing: the model is already trained. The category
 * and rating heads, when the model has them, answer through the same mapping.
 */
export class PretrainedRecommender implements Recommender, CategoryPredictor, RatingPredictor {
  readonly name: string;
  readonly config: Readonly<Record<string, unknown>>;
  private readonly modelIndexOf: Int32Array;
  private readonly modelScores: Float32Array;

  constructor(
    private readonly model: Recommender &
      Partial<CategoryPredictor> &
      Partial<RatingPredictor> &
      Partial<{
        useItemText(itemText: ItemTextVectors): void;
        forgetItems(items: Int32Array): void;
        readonly hasTimeHead: boolean;
        halfLives(): number[];
        useTrend(trend: ItemTrend): void;
        observe(item: number, timeMs: number): void;
      }>,
    modelItemIds: readonly string[],
    dataItemIds: readonly string[],
  ) {
    this.name = model.name;
    this.config = model.config;
    const byId = new Map(modelItemIds.map((id, index) => [id, index]));
    this.modelIndexOf = Int32Array.from(dataItemIds, (id) => byId.get(id) ?? -1);
    this.modelScores = new Float32Array(modelItemIds.length);
  }

  lastDiagnostics(): Readonly<Record<string, number>> {
    return this.model.lastDiagnostics?.() ?? {};
  }

  /**
   * Nothing to train. Item text vectors, when given, go to a text-aware model (in its item order); a
   * model with a time head gets the trend of the data's events (the same, mapped to its items).
   */
  async fit(data?: FitData): Promise<FitReport> {
    if (data && this.model.hasTimeHead && this.model.halfLives && this.model.useTrend) {
      const trend = new ItemTrend(this.modelScores.length, this.model.halfLives());
      const { items, timestamps } = data.corpus;
      for (let p = 0; p < items.length; p++)
        trend.add(this.modelIndexOf[items[p]], timestamps ? timestamps[p] : Number.NaN);
      this.model.useTrend(trend);
    }
    const itemText = data?.itemText;
    if (itemText && this.model.useItemText) {
      const vectors = new Float32Array(this.modelScores.length * itemText.dim);
      this.modelIndexOf.forEach((m, j) => {
        if (m >= 0)
          vectors.set(itemText.vectors.subarray(j * itemText.dim, (j + 1) * itemText.dim), m * itemText.dim);
      });
      this.model.useItemText({ ...itemText, vectors });
    }
    return { seconds: 0 };
  }

  observe(item: number, timeMs: number): void {
    const m = this.modelIndexOf[item];
    if (m >= 0) this.model.observe?.(m, timeMs);
  }

  /** Forgets the data set's `items` in the model (see NeuralRecommender.forgetItems). */
  forgetItems(items: Int32Array): void {
    const inModel = Int32Array.from([...items].map((j) => this.modelIndexOf[j]).filter((m) => m >= 0));
    if (this.model.forgetItems) this.model.forgetItems(inModel);
  }

  categoryNames(): readonly string[] | null {
    return this.model.categoryNames?.() ?? null;
  }

  categoryDistribution(query: RecQuery, out: Float32Array): void {
    this.model.categoryDistribution?.(this.toModel(query), out);
  }

  predictsRatings(): boolean {
    return this.model.predictRating !== undefined && (this.model.predictsRatings?.() ?? true);
  }

  /** The model's rating of the data set's `item`; NaN for an item the model never saw. */
  predictRating(query: RecQuery, item: number): number {
    const m = this.modelIndexOf[item];
    if (m < 0 || !this.model.predictRating) return Number.NaN;
    return this.model.predictRating(this.toModel(query), m);
  }

  scoreAll(query: RecQuery, scoresByItem: Float32Array): void {
    this.model.scoreAll(this.toModel(query), this.modelScores);
    for (let j = 0; j < scoresByItem.length; j++) {
      const m = this.modelIndexOf[j];
      scoresByItem[j] = m >= 0 ? this.modelScores[m] : Number.NEGATIVE_INFINITY;
    }
  }

  /** The query with its history mapped to the model's item indices (unknown items dropped). */
  private toModel(query: RecQuery): RecQuery {
    const keep: number[] = [];
    for (let k = 0; k < query.history.length; k++) if (this.modelIndexOf[query.history[k]] >= 0) keep.push(k);
    const kept = new Set(keep);
    const pick = <T extends Float64Array | Float32Array | Uint8Array>(
      values: T | undefined,
    ): T | undefined =>
      values && keep.length < values.length ? (values.filter((_, k) => kept.has(k)) as T) : values;
    return {
      user: -1,
      history: Int32Array.from(keep, (k) => this.modelIndexOf[query.history[k]]),
      timestamps: pick(query.timestamps),
      types: pick(query.types),
      values: pick(query.values),
      now: query.now,
      context: query.context,
    };
  }
}
