import { type ProgressReporter, silentProgress } from '../core/progress.js';
import { usersPerItem } from '../data/corpus.js';
import type { Dataset } from '../data/dataset.js';
import type { Split, Stage } from '../data/split.js';
import type { Recommender } from '../models/model.js';
import { categoryJaccardDistance } from './beyond-accuracy.js';
import { evaluateCategories, isCategoryPredictor } from './categories.js';
import { evaluateRanking, type RankingProtocol } from './protocol.js';
import { evaluateRatings, isRatingPredictor } from './rating.js';

/** One evaluation, as printed with `--json`. */
export interface EvalReport {
  dataset: string;
  protocol: string;
  split: string;
  users: number;
  model: string;
  config: Readonly<Record<string, unknown>>;
  metrics: Record<string, number>;
  /** Wall time of fit + evaluation. */
  seconds: number;
  fitSeconds: number;
}

export interface EvaluateOptions {
  protocol?: RankingProtocol;
  negatives?: number;
  ks?: readonly number[];
  seed?: number;
  /** `test` (default), or `valid` to tune: fit on what precedes the validation targets and rank those. */
  stage?: Stage;
  progress?: ProgressReporter;
}

/**
 * Fits the model on everything before the test targets (with the validation stage offered for early
 * stopping) and evaluates it on the test cases.
 *
 * @example
 * const report = await evaluateModel(createModel('markov'), dataset, leaveOneOut(dataset));
 * report.metrics['NDCG@10'];
 */
export async function evaluateModel(
  model: Recommender,
  dataset: Dataset,
  split: Split,
  options: EvaluateOptions = {},
): Promise<EvalReport> {
  const started = performance.now();
  const progress = options.progress ?? silentProgress;
  const stage = options.stage ?? 'test';
  const corpus = split.fitCorpus(stage);
  const validation =
    stage === 'test'
      ? { corpus: split.fitCorpus('valid'), cases: split.cases('valid'), casesCorpus: dataset }
      : undefined;
  const itemCategories = dataset.itemIds.ids().map((id) => dataset.catalog.get(id)?.categories ?? []);
  const fit = await model.fit({ corpus, validation, itemCategories }, progress);
  const cases = split.cases(stage);
  const ranking = evaluateRanking(model, cases, {
    ks: options.ks ?? [10],
    protocol: options.protocol ?? 'full',
    negatives: options.negatives ?? 100,
    seed: options.seed ?? 42,
    corpus: dataset,
    usersWithItem: usersPerItem(corpus),
    itemDistance: itemCategories.some((c) => c.length > 0)
      ? categoryJaccardDistance(itemCategories)
      : undefined,
    progress,
  });
  const metrics = { ...ranking.metrics };
  if (dataset.values && isRatingPredictor(model)) Object.assign(metrics, evaluateRatings(model, cases));
  if (isCategoryPredictor(model))
    Object.assign(metrics, evaluateCategories(model, cases, dataset, itemCategories));
  return {
    dataset: dataset.name,
    protocol: ranking.protocol,
    split: stage === 'test' ? split.description : `${split.description}; VALIDATION stage`,
    users: ranking.users,
    model: model.name,
    config: model.config,
    metrics,
    seconds: (performance.now() - started) / 1000,
    fitSeconds: fit.seconds,
  };
}
