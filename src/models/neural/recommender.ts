import { TideError } from '../../core/errors.js';
import { type ProgressReporter, silentProgress } from '../../core/progress.js';
import type { SequenceCorpus } from '../../data/corpus.js';
import { matMulTransposed } from '../../nn/cpu.js';
import type { TrainConfig } from '../../training/config.js';
import type { TrainHooks, TrainResult } from '../../training/trainer.js';
import type { CategoryPredictor, FitData, FitReport, Recommender, RecQuery } from '../model.js';
import { CATEGORY_KERNEL, categoryDistribution } from './category-head.js';
import type { NamedWeights, NeuralFamily, SequenceEncoder } from './network.js';
import { fingerprint, loadModel, saveModel } from './saved-model.js';

/** One interest facet of a user: its weight now, and a label from its most likely categories. */
export interface InterestFacet {
  weight: number;
  label: string;
  categories: { name: string; probability: number }[];
}

interface FacetSource {
  lastFacets(): { weights: Float32Array; vectors: Float32Array };
}

/** Saved-weight names of the scored table and bias, family-independent. */
export const OUTPUT_TABLE = 'output/table';
export const OUTPUT_BIAS = 'output/bias';

/** How to build plain-TS inference for a family from saved weights (no tfjs). */
export type EncoderFactory = (
  config: Record<string, unknown>,
  numItems: number,
  weights: NamedWeights,
) => SequenceEncoder;

/**
 * A neural sequence model as a Recommender: `fit` trains it with tfjs (early stopping on the
 * validation cases when given), then scoring runs in plain TypeScript from the trained weights.
 */
export class NeuralRecommender implements Recommender, CategoryPredictor {
  readonly config: Readonly<Record<string, unknown>>;
  private encoder: SequenceEncoder | null = null;
  private weights: NamedWeights = new Map();
  private userVector = new Float32Array(0);
  private rowScores = new Float32Array(0);
  private trained: TrainResult | null = null;
  private categories: string[] | null = null;

  constructor(
    readonly name: string,
    private readonly family: () => Promise<NeuralFamily<{ maxLength: number }>>,
    private readonly modelConfig: Record<string, unknown>,
    private readonly trainConfig: TrainConfig,
    private readonly hooks: Omit<TrainHooks, 'progress'> = {},
  ) {
    this.config = { model: modelConfig, training: trainConfig };
  }

  async fit(data: FitData, progress: ProgressReporter = silentProgress): Promise<FitReport> {
    const started = performance.now();
    const family = await this.family();
    const config = family.configSchema.parse(this.modelConfig);
    const { initBackend } = await import('../../nn/index.js');
    await initBackend();
    const { trainNetwork } = await import('../../training/trainer.js');
    const { readOutputLayer, readWeights } = await import('../../training/weights.js');
    const network = family.createNetwork(config, data.corpus.nItems, this.trainConfig.seed);
    const corpus = data.validation ? data.validation.corpus : data.corpus;
    const inputs = { withTimeGaps: hasFlag(config, 'useTimeGaps'), withTypes: hasFlag(config, 'useTypes') };
    this.trained = await trainNetwork(
      network,
      {
        corpus,
        validation: data.validation && {
          cases: data.validation.cases,
          casesCorpus: data.validation.casesCorpus,
        },
      },
      this.trainConfig,
      {
        maxLength: config.maxLength,
        withTimeGaps: hasFlag(config, 'useTimeGaps'),
        withTypes: hasFlag(config, 'useTypes'),
      },
      { ...this.hooks, progress },
    );
    if (this.trained.stopped === 'interrupted') {
      for (const variable of network.variables.values()) variable.dispose();
      const where = this.hooks.checkpointDir ? ` in ${this.hooks.checkpointDir}` : '';
      throw new TideError(
        'NOT_TRAINED',
        `training interrupted in epoch ${this.trained.history.length + 1}; the checkpoint${where} continues with --resume`,
      );
    }
    const weights = readWeights(network);
    if (data.itemCategories?.some((c) => c.length > 0)) {
      const { categoryVocabulary } = await import('./category-head.js');
      const { fitCategoryHead } = await import('../../training/category-head.js');
      const vocabulary = categoryVocabulary(data.itemCategories);
      const head = fitCategoryHead(network, corpus, vocabulary, {
        maxLength: config.maxLength,
        ...inputs,
        positionsPerUser: 16,
        steps: 300,
        seed: this.trainConfig.seed,
      });
      for (const [name, w] of head) weights.set(name, w);
      this.categories = vocabulary.names;
    }
    const output = readOutputLayer(network);
    weights.set(OUTPUT_TABLE, { shape: [data.corpus.nItems + 1, output.dim], data: output.table });
    if (output.bias) weights.set(OUTPUT_BIAS, { shape: [data.corpus.nItems + 1], data: output.bias });
    for (const variable of network.variables.values()) variable.dispose();
    this.useWeights(family.createEncoder(config, data.corpus.nItems, weights), weights);
    return {
      seconds: (performance.now() - started) / 1000,
      epochs: this.trained.epochs,
      loss: this.trained.history.at(-1)?.loss,
    };
  }

  lastDiagnostics(): Readonly<Record<string, number>> {
    return this.encoder?.lastDiagnostics?.() ?? {};
  }

  categoryNames(): readonly string[] | null {
    return this.categories;
  }

  categoryDistribution(query: RecQuery, out: Float32Array): void {
    if (!this.encoder || !this.weights.has(CATEGORY_KERNEL)) {
      throw new TideError('NOT_TRAINED', `${this.name}: the model has no category head`);
    }
    this.encoder.encode(query.history, this.userVector, query.timestamps, query.types);
    categoryDistribution(this.weights, this.userVector, out);
  }

  /**
   * The user's interest facets, strongest first, when the family has facets (else null): each
   * facet's weight in the current context and a 2-3 word label from the categories its vector
   * points at (through the category head), e.g. "Drama & Romance".
   */
  interestFacets(query: RecQuery, topCategories = 2): InterestFacet[] | null {
    const encoder = this.encoder as (SequenceEncoder & Partial<FacetSource>) | null;
    if (!encoder?.lastFacets) return null;
    encoder.encode(query.history, this.userVector, query.timestamps, query.types);
    const { weights, vectors } = encoder.lastFacets();
    const names = this.categories;
    const dim = encoder.dim;
    const distribution = new Float32Array(names?.length ?? 0);
    const facets = Array.from(weights, (weight, k): InterestFacet => {
      if (!names) return { weight, label: `facet ${k + 1}`, categories: [] };
      categoryDistribution(this.weights, vectors.subarray(k * dim, (k + 1) * dim), distribution);
      const categories = names
        .map((name, c) => ({ name, probability: distribution[c] }))
        .sort((a, b) => b.probability - a.probability)
        .slice(0, topCategories);
      return { weight, label: categories.map((c) => c.name).join(' & '), categories };
    });
    return facets.sort((a, b) => b.weight - a.weight);
  }

  /** What training did: epochs, best epoch, per-epoch loss and validation, time, memory. */
  get trainReport(): TrainResult | null {
    return this.trained;
  }

  scoreAll(query: RecQuery, scoresByItem: Float32Array): void {
    if (!this.encoder)
      throw new TideError('NOT_TRAINED', `${this.name}: fit or load the model before scoring`);
    this.encoder.encode(query.history, this.userVector, query.timestamps, query.types);
    const table = this.weights.get(OUTPUT_TABLE)!;
    // one row of u · tableᵀ (+ bias) with the register-blocked kernel; row 0 of the table is padding
    matMulTransposed(
      this.userVector,
      table.data,
      1,
      this.encoder.dim,
      table.shape[0],
      this.rowScores,
      this.weights.get(OUTPUT_BIAS)?.data,
    );
    scoresByItem.set(this.rowScores.subarray(1, 1 + scoresByItem.length));
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
        training: { config: this.trainConfig, report: this.trained },
        numItems: itemIds.length,
        itemIds: [...itemIds],
        dataFingerprint: fingerprint(datasetName, dataset),
        metrics: this.trained.bestValidation ?? {},
        ...(this.categories && { categories: this.categories }),
      },
      this.weights,
    );
  }

  /** Loads a saved model for scoring; needs only the family's plain-TS encoder. */
  static async load(dir: string, encoderFor: (family: string) => Promise<EncoderFactory>) {
    const { manifest, weights } = await loadModel(dir);
    const model = new NeuralRecommender(
      manifest.family,
      () => Promise.reject(new TideError('NOT_TRAINED', 'a loaded model cannot be refitted in place')),
      manifest.config,
      (manifest.training as { config: TrainConfig }).config,
    );
    const createEncoder = await encoderFor(manifest.family);
    model.useWeights(createEncoder(manifest.config, manifest.numItems, weights), weights);
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
  }
}

function hasFlag(config: object, flag: string): boolean {
  return (config as Record<string, unknown>)[flag] === true;
}
