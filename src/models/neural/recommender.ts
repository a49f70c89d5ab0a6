import { TideError } from '../../core/errors.js';
import { type ProgressReporter, silentProgress } from '../../core/progress.js';
import type { SequenceCorpus } from '../../data/corpus.js';
import type { ItemTrend } from '../../data/item-trend.js';
import { matMulTransposed } from '../../nn/scalar.js';
import type { TrainResult } from '../../training/trainer.js';
import { type RatingBiases, ratingsOf } from '../bias/rating-biases.js';
import type {
  CategoryPredictor,
  FitData,
  FitReport,
  RatingPredictor,
  Recommender,
  RecQuery,
} from '../model.js';
import { CATEGORY_KERNEL, categoryDistribution } from './category-head.js';
import { matchTextOnlyScores } from './cold-calibration.js';
import { checkGate, FIXED_GATE, type GateCheckReport, type GatedScorer } from './gate-check.js';
import type {
  ItemTextVectors,
  NamedWeights,
  NeuralFamily,
  RecurrentStepper,
  SequenceEncoder,
} from './network.js';
import {
  checkRatingWeights,
  predictWithRatingHead,
  type RatingHeadFitReport,
  ratingBiasesOf,
} from './rating-head.js';
import { fingerprint, loadModel, saveModel } from './saved-model.js';
import { applyTimeHead, TIME_CONTEXT_SIZE, TIME_HEAD_KERNEL, timeContext } from './time-head.js';

/** One interest facet of a user: its weight now, and a label from its most likely categories. */
export interface InterestFacet {
  weight: number;
  label: string;
  categories: { name: string; probability: number }[];
  /** The facet's vector, in the space of the item embeddings. */
  vector: Float32Array;
  /** True for the state after the latest events (a facets model on a SASRec), not a facet proper. */
  latest: boolean;
}

interface FacetSource {
  lastFacets(): { weights: Float32Array; vectors: Float32Array; latest: number };
}

/** Saved-weight names of the scored table and bias, family-independent. */
export const OUTPUT_TABLE = 'output/table';
export const OUTPUT_BIAS = 'output/bias';
/** Saved-weight name of the time head's trend half-lives (days), [features - 1]. */
export const TIME_HEAD_HALF_LIVES = 'time_head/half_lives_days';

/** What fitting the time head measured on the held-out cases, and whether the head was kept. */
export interface TimeHeadFitReport {
  /** Mean cross-entropy of the targets with the model alone, and with the head. */
  lossBefore: number;
  lossAfter: number;
  /** NDCG@10 of the held-out cases with the model alone, and with the head. */
  ndcgBefore: number;
  ndcgAfter: number;
  samples: number;
  /** Kept only when it ranks the held-out cases better. */
  kept: boolean;
}

/** How to build plain-TS inference for a family from saved weights (no tfjs). */
export type EncoderFactory = (
  config: Record<string, unknown>,
  numItems: number,
  weights: NamedWeights,
) => SequenceEncoder;

/**
 * How a model is trained: supplied by the training layer (`neuralTrainer` in src/training/), so that
 * the model holds scoring only and a saved one loads without any training code.
 */
export interface NeuralTrainer {
  /** The training settings, reported with the model's config and saved in its manifest. */
  readonly settings: Readonly<Record<string, unknown>>;
  /** Trains the model's network on the data and installs the result (`install`, `checkGateOn`...). */
  fit(model: NeuralRecommender, data: FitData, progress: ProgressReporter): Promise<void>;
}

/** What training hands the model: the family and config it trained, its weights and its record. */
export interface TrainedNetwork {
  family: NeuralFamily<{ maxLength: number }>;
  /** The family's config as parsed (every default written out). */
  config: { maxLength: number };
  numItems: number;
  weights: NamedWeights;
  /** Names of the category head's categories (null: no head). */
  categories: string[] | null;
  report: TrainResult;
}

export interface NeuralRecommenderOptions {
  /** The family's name (`sasrec`, `gru`...), as saved and reported. */
  name: string;
  /** The family's network and encoder, loaded when the model is trained. */
  family?: () => Promise<NeuralFamily<{ maxLength: number }>>;
  /** The family's network config. */
  config: Record<string, unknown>;
  /** How `fit` trains (absent: a model that only scores, e.g. one loaded from disk). */
  trainer?: NeuralTrainer;
  /** Training settings to report when there is no trainer (a loaded model's). */
  trainingSettings?: Readonly<Record<string, unknown>>;
  /** Feed the items' text vectors (FitData.itemText) into the family's text-aware item table. */
  textAware?: boolean;
}

/**
 * A neural sequence model as a Recommender: `fit` has its trainer train it (with tfjs), then scoring
 * runs in plain TypeScript from the trained weights.
 *
 * @example
 * const model = new NeuralRecommender({ name: 'sasrec', family, config: { dim: 64 }, trainer });
 * await model.fit({ corpus });
 */
export class NeuralRecommender implements Recommender, CategoryPredictor, RatingPredictor {
  readonly name: string;
  private modelConfig: Record<string, unknown>;
  private encoder: SequenceEncoder | null = null;
  private rebuildEncoder: ((weights: NamedWeights) => SequenceEncoder) | null = null;
  private itemText: ItemTextVectors | null = null;
  /** Items the model must not recommend (forgotten without text to stand for them). */
  private forgotten: Int32Array | null = null;
  /** 1 for items known only by their text (see cold-calibration.ts). */
  private textOnly: Uint8Array | null = null;
  private weights: NamedWeights = new Map();
  private userVector = new Float32Array(0);
  private rowScores = new Float32Array(0);
  private trained: TrainResult | null = null;
  private categories: string[] | null = null;
  /** What is popular now, over the model's items; read by the time head. */
  private trend: ItemTrend | null = null;
  private readonly context = new Float32Array(TIME_CONTEXT_SIZE);
  private trendShare = Number.NaN;
  private timeHeadFit: TimeHeadFitReport | null = null;
  private gateCheck: GateCheckReport | null = null;
  private ratingHeadFit: RatingHeadFitReport | null = null;
  private ratingBiases: RatingBiases | null = null;

  constructor(private readonly options: NeuralRecommenderOptions) {
    this.name = options.name;
    this.modelConfig = options.config;
  }

  /** The model config (after `fit`, as parsed: every default written out) and the training settings. */
  get config(): Readonly<Record<string, unknown>> {
    return { model: this.modelConfig, training: this.trainingSettings };
  }

  private get trainingSettings(): Readonly<Record<string, unknown>> {
    return this.options.trainer?.settings ?? this.options.trainingSettings ?? {};
  }

  async fit(data: FitData, progress: ProgressReporter = silentProgress): Promise<FitReport> {
    const started = performance.now();
    if (!this.options.trainer)
      throw new TideError('NOT_TRAINED', `${this.name}: this model only scores (it has no trainer)`);
    await this.options.trainer.fit(this, data, progress);
    return {
      seconds: (performance.now() - started) / 1000,
      epochs: this.trained?.epochs ?? 0,
      loss: this.trained?.history.at(-1)?.loss,
    };
  }

  /**
   * The family and its parsed config for training on this data (a text-aware family is given the
   * text vectors' width); the config is kept as parsed, every default written out.
   */
  async familyForTraining(
    data: FitData,
  ): Promise<{ family: NeuralFamily<{ maxLength: number }>; config: { maxLength: number } }> {
    if (!this.options.family)
      throw new TideError('NOT_TRAINED', `${this.name}: a loaded model cannot be trained again`);
    const family = await this.options.family();
    if (family.trainingDefaults) this.modelConfig = family.trainingDefaults(this.modelConfig);
    if (this.options.textAware) {
      if (!data.itemText || !family.withTextDim)
        throw new TideError('CONFIG', `${this.name}: a text-aware model needs item text vectors (--text)`);
      this.modelConfig = family.withTextDim(this.modelConfig, data.itemText.dim);
      this.itemText = data.itemText;
    }
    const config = family.configSchema.parse(this.modelConfig);
    this.modelConfig = family.storedConfig?.(config) ?? { ...config };
    return { family, config };
  }

  /** Takes the trained weights: from here on the model scores with them. */
  install(trained: TrainedNetwork): void {
    this.trained = trained.report;
    this.categories = trained.categories;
    this.rebuildEncoder = (w) => trained.family.createEncoder(trained.config, trained.numItems, w);
    this.useWeights(this.rebuildEncoder(trained.weights), trained.weights);
  }

  /** Checks the fused gate on held-out cases (see gate-check.ts); a gate that carries nothing is folded. */
  checkGateOn(validation: NonNullable<FitData['validation']>): void {
    this.gateCheck = checkGate(validation, this.gatedScorer());
  }

  lastDiagnostics(): Readonly<Record<string, number>> {
    const diagnostics = this.encoder?.lastDiagnostics?.() ?? {};
    return Number.isNaN(this.trendShare) ? diagnostics : { ...diagnostics, trendShare: this.trendShare };
  }

  /** True when the model learned a time head (see time-head.ts); it scores with it once it has a trend. */
  get hasTimeHead(): boolean {
    return this.weights.has(TIME_HEAD_KERNEL);
  }

  /** Half-lives (days) of the trend the time head was fitted with. */
  halfLives(): number[] {
    return Array.from(this.weights.get(TIME_HEAD_HALF_LIVES)?.data ?? []);
  }

  /** The popularity trend the time head reads (over the model's items), kept current by its owner. */
  useTrend(trend: ItemTrend): void {
    this.trend = trend;
  }

  /** Folds another event into the trend (when the model has a time head). */
  observe(item: number, timeMs: number): void {
    this.trend?.add(item, timeMs);
  }

  /** Copies of the named weights the model holds (those it lacks are left out). */
  weightsNamed(names: readonly string[]): NamedWeights {
    const out: NamedWeights = new Map();
    for (const name of names) {
      const weight = this.weights.get(name);
      if (weight) out.set(name, { shape: [...weight.shape], data: weight.data.slice() });
    }
    return out;
  }

  /** Installs a fitted time head: its kernel and the trend half-lives (days) it reads. */
  setTimeHead(kernel: Float32Array, featureCount: number, halfLivesDays: readonly number[]): void {
    this.weights.set(TIME_HEAD_KERNEL, { shape: [featureCount + 1, TIME_CONTEXT_SIZE], data: kernel });
    this.weights.set(TIME_HEAD_HALF_LIVES, {
      shape: [halfLivesDays.length],
      data: Float32Array.from(halfLivesDays),
    });
  }

  /** True when the model learned a rating head (trained on data with ratings). */
  predictsRatings(): boolean {
    return this.ratingBiases !== null;
  }

  /** The rating the query's user would give `item` (see rating-head.ts). */
  predictRating(query: RecQuery, item: number): number {
    if (!this.ratingBiases)
      throw new TideError(
        'NOT_TRAINED',
        `${this.name}: no rating head (trained on data without ratings, or saved before rating heads: retrain it)`,
      );
    this.encodeUser(query, this.userVector);
    const table = this.weights.get(OUTPUT_TABLE)!.data;
    const history = { items: query.history, values: ratingsOf(query.values, query.types) ?? undefined };
    const scratch = new Float32Array(2 * this.userVector.length);
    return predictWithRatingHead(
      this.weights,
      this.ratingBiases,
      table,
      this.userVector,
      item,
      history,
      scratch,
    );
  }

  /** Removes the named weights (a head that did not help on validation). */
  dropWeights(names: readonly string[]): void {
    for (const name of names) this.weights.delete(name);
  }

  /** What checking the rating head measured, saved in the manifest. */
  recordRatingHeadFit(report: RatingHeadFitReport | null): void {
    this.ratingHeadFit = report;
  }

  /** What fitting the time head measured, saved in the manifest. */
  recordTimeHeadFit(report: TimeHeadFitReport | null): void {
    this.timeHeadFit = report;
  }

  categoryNames(): readonly string[] | null {
    return this.categories;
  }

  categoryDistribution(query: RecQuery, out: Float32Array): void {
    this.encodeUser(query, this.userVector);
    this.categoryDistributionOf(this.userVector, out);
  }

  /** P(c | u) for a user vector this model encoded (see `encodeUser`). */
  categoryDistributionOf(userVector: Float32Array, out: Float32Array): void {
    if (!this.weights.has(CATEGORY_KERNEL)) {
      throw new TideError('NOT_TRAINED', `${this.name}: the model has no category head`);
    }
    categoryDistribution(this.weights, userVector, out);
  }

  /**
   * The user's interest facets, strongest first, when the family has facets (else null): each
   * facet's weight in the current context and a 2-3 word label from the categories its vector
   * points at (through the category head), e.g. "Drama & Romance".
   */
  interestFacets(query: RecQuery, topCategories = 2): InterestFacet[] | null {
    this.encodeUser(query, this.userVector);
    return this.lastFacets(topCategories);
  }

  /** The facets of the last `encodeUser` / `scoreAll` call (null when the family has none). */
  lastFacets(topCategories = 2): InterestFacet[] | null {
    const encoder = this.encoder as (SequenceEncoder & Partial<FacetSource>) | null;
    if (!encoder?.lastFacets) return null;
    const { weights, vectors, latest: latestIndex } = encoder.lastFacets();
    const names = this.categories;
    const dim = encoder.dim;
    const distribution = new Float32Array(names?.length ?? 0);
    const facets = Array.from(weights, (weight, k): InterestFacet => {
      const vector = vectors.slice(k * dim, (k + 1) * dim);
      const latest = k === latestIndex;
      const prefix = latest ? 'latest events: ' : '';
      if (!names)
        return { weight, label: latest ? 'latest events' : `facet ${k + 1}`, categories: [], vector, latest };
      categoryDistribution(this.weights, vector, distribution);
      const categories = names
        .map((name, c) => ({ name, probability: distribution[c] }))
        .sort((a, b) => b.probability - a.probability)
        .slice(0, topCategories);
      return {
        weight,
        label: prefix + categories.map((c) => c.name).join(' & '),
        categories,
        vector,
        latest,
      };
    });
    return facets.sort((a, b) => b.weight - a.weight);
  }

  /** What training did: epochs, best epoch, per-epoch loss and validation, time, memory. */
  get trainReport(): TrainResult | null {
    return this.trained;
  }

  scoreAll(query: RecQuery, scoresByItem: Float32Array): void {
    this.scoreWithoutTime(query, scoresByItem);
    this.adjustForTime(query.timestamps, query.now, scoresByItem);
  }

  /**
   * Applies the time head, when the model has one and a trend, to scores of its items (position p =
   * item `indices[p]`, or p): a request at `nowMs` after events at `timestamps`.
   */
  adjustForTime(
    timestamps: ArrayLike<number> | undefined,
    nowMs: number | undefined,
    scores: Float32Array,
    indices: Int32Array | null = null,
  ): void {
    const kernel = this.weights.get(TIME_HEAD_KERNEL)?.data;
    if (!kernel || !this.trend) return;
    timeContext(timestamps, nowMs, this.trend.clock, this.context);
    this.trendShare = applyTimeHead(kernel, this.context, this.trend.features(), scores, indices);
  }

  /** What the gate check measured (null: no gate, or no validation cases). */
  get gateReport(): GateCheckReport | null {
    return this.gateCheck;
  }

  /** The model as `checkGate` drives it: its own scores, its gate a, a held fixed or freed. */
  private gatedScorer(): GatedScorer {
    return {
      score: (query, out) => this.scoreWithoutTime(query, out),
      lastGate: () => this.encoder?.lastDiagnostics?.().a,
      fixGate: (value) => {
        if (value === null) this.weights.delete(FIXED_GATE);
        else this.weights.set(FIXED_GATE, { shape: [1], data: Float32Array.of(value) });
        if (this.rebuildEncoder) this.useWeights(this.rebuildEncoder(this.weights), this.weights);
      },
    };
  }

  /** The sequence model's own scores, before the time head. */
  scoreWithoutTime(query: RecQuery, scoresByItem: Float32Array): void {
    this.encodeUser(query, this.userVector);
    this.scoreUser(this.userVector, scoresByItem);
  }

  /** Width of the user vectors `encodeUser` writes. */
  get dim(): number {
    return this.trainedEncoder().dim;
  }

  /** Writes the user's vector for the query into `out` [dim]; diagnostics and facets follow it. */
  encodeUser(query: RecQuery, out: Float32Array): void {
    this.trainedEncoder().encode(query.history, out, query.timestamps, query.types);
  }

  /** Scores every item for a user vector: u · item embedding (+ item bias). */
  scoreUser(userVector: Float32Array, scoresByItem: Float32Array): void {
    const table = this.weights.get(OUTPUT_TABLE)!;
    // one row of u · tableᵀ (+ bias) with the register-blocked kernel; row 0 of the table is padding
    matMulTransposed(
      userVector,
      table.data,
      1,
      this.trainedEncoder().dim,
      table.shape[0],
      this.rowScores,
      this.weights.get(OUTPUT_BIAS)?.data,
    );
    scoresByItem.set(this.rowScores.subarray(1, 1 + scoresByItem.length));
    if (this.forgotten) for (const item of this.forgotten) scoresByItem[item] = Number.NEGATIVE_INFINITY;
    if (this.textOnly) matchTextOnlyScores(scoresByItem, this.textOnly);
  }

  /**
   * Treats `items` as never seen in training, as new catalogue items are: a text-aware model keeps
   * only their projected text (T[i] · P) as their embedding, their scores calibrated onto the known
   * items' (`matchTextOnlyScores`); any other model can no longer score them. (Adding the mean ID
   * embedding of the known items to T[i] · P instead ranked held-out ML-1M items worse.)
   */
  forgetItems(items: Int32Array): void {
    const projection = this.weights.get('text_projection');
    if (!projection || !this.itemText || !this.rebuildEncoder) {
      this.forgotten = items;
      return;
    }
    const [textDim, dim] = projection.shape;
    const text = this.itemText.vectors;
    for (const name of ['item_embedding', OUTPUT_TABLE]) {
      const table = this.weights.get(name)!.data;
      for (const item of items) {
        const row = (item + 1) * dim;
        table.fill(0, row, row + dim);
        for (let t = 0; t < textDim; t++) {
          const x = text[item * textDim + t];
          for (let c = 0; c < dim; c++) table[row + c] += x * projection.data[t * dim + c];
        }
      }
    }
    this.textOnly = new Uint8Array(this.weights.get(OUTPUT_TABLE)!.shape[0] - 1);
    for (const item of items) this.textOnly[item] = 1;
    this.useWeights(this.rebuildEncoder(this.weights), this.weights);
  }

  /** Text vectors of the model's items (model item order), for `forgetItems` on a loaded text-aware model. */
  useItemText(itemText: ItemTextVectors): void {
    this.itemText = itemText;
  }

  /** The scored item embeddings, row-major [numItems, dim] (dense item order), and their biases. */
  itemEmbeddings(): { vectors: Float32Array; bias: Float32Array | null } {
    const table = this.weights.get(OUTPUT_TABLE)!;
    const dim = table.shape[1];
    return {
      vectors: table.data.subarray(dim),
      bias: this.weights.get(OUTPUT_BIAS)?.data.subarray(1) ?? null,
    };
  }

  /**
   * A text-aware model's P: the embedding of an item known only by its text vector t is t · P
   * (null for models without text).
   */
  textProjection(): { textDim: number; kernel: Float32Array } | null {
    const projection = this.weights.get('text_projection');
    return projection ? { textDim: projection.shape[0], kernel: projection.data } : null;
  }

  /** An event-at-a-time state update, for families that have one (the recurrent ones). */
  incremental(): RecurrentStepper | null {
    return this.trainedEncoder().stepper ?? null;
  }

  private trainedEncoder(): SequenceEncoder {
    if (!this.encoder)
      throw new TideError('NOT_TRAINED', `${this.name}: fit or load the model before scoring`);
    return this.encoder;
  }

  /**
   * Writes the model directory: manifest (family, configs, item ids, training report, the
   * fingerprint of the data set it came from) + weights.
   */
  async save(
    dir: string,
    itemIds: readonly string[],
    dataset: SequenceCorpus,
    datasetName: string,
  ): Promise<void> {
    if (!this.encoder || !this.trained)
      throw new TideError('NOT_TRAINED', `${this.name}: nothing trained to save`);
    await saveModel(
      dir,
      {
        family: this.name,
        config: this.modelConfig,
        training: {
          config: this.trainingSettings,
          report: this.trained,
          ...(this.timeHeadFit && { timeHead: this.timeHeadFit }),
          ...(this.gateCheck && { gate: this.gateCheck }),
          ...(this.ratingHeadFit && { ratingHead: this.ratingHeadFit }),
        },
        numItems: itemIds.length,
        itemIds: [...itemIds],
        dataFingerprint: fingerprint(datasetName, dataset),
        metrics: this.trained.bestValidation ?? {},
        ...(this.categories && { categories: this.categories }),
        ...(this.itemText?.encoderId && { textEncoder: this.itemText.encoderId }),
      },
      this.weights,
    );
  }

  /** Loads a saved model for scoring; needs only the family's plain-TS encoder. */
  static async load(dir: string, encoderFor: (family: string) => Promise<EncoderFactory>) {
    const { manifest, weights } = await loadModel(dir);
    const model = new NeuralRecommender({
      name: manifest.family,
      config: manifest.config,
      trainingSettings: (manifest.training as { config?: Record<string, unknown> }).config,
    });
    const createEncoder = await encoderFor(manifest.family);
    model.rebuildEncoder = (w) => createEncoder(manifest.config, manifest.numItems, w);
    model.useWeights(model.rebuildEncoder(weights), weights);
    model.categories = manifest.categories ?? null;
    return { model, manifest };
  }

  private useWeights(encoder: SequenceEncoder, weights: NamedWeights): void {
    if (!weights.has(OUTPUT_TABLE))
      throw new TideError('INVALID_INPUT', `model weights lack "${OUTPUT_TABLE}"`);
    this.encoder = encoder;
    this.weights = weights;
    this.userVector = new Float32Array(encoder.dim);
    this.rowScores = new Float32Array(weights.get(OUTPUT_TABLE)!.shape[0]);
    checkRatingWeights(weights, encoder.dim);
    this.ratingBiases = ratingBiasesOf(weights);
  }
}
