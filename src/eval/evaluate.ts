import { type ProgressReporter, silentProgress } from '../core/progress.js';
import { usersPerItem } from '../data/corpus.js';
import type { Dataset } from '../data/dataset.js';
import type { Split, Stage } from '../data/split.js';
import type { Recommender } from '../models/model.js';
import { categoryJaccardDistance } from './beyond-accuracy.js';
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
    stage === 'test' ? { corpus: split.fitCorpus('valid'), cases: split.cases('valid') } : undefined;
  const fit = await model.fit({ corpus, validation }, progress);
  const cases = split.cases(stage);
  const ranking = evaluateRanking(model, cases, {
    ks: options.ks ?? [10],
    protocol: options.protocol ?? 'full',
    negatives: options.negatives ?? 100,
    seed: options.seed ?? 42,
    corpus: dataset,
    usersWithItem: usersPerItem(corpus),
    itemDistance: itemCategoryDistance(dataset),
    progress,
  });
  const metrics = { ...ranking.metrics };
  if (dataset.values && isRatingPredictor(model)) Object.assign(metrics, evaluateRatings(model, cases));
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

/** Jaccard distance of categories when the catalogue has categories, else undefined. */
function itemCategoryDistance(dataset: Dataset) {
  const categories = dataset.itemIds.ids().map((id) => dataset.catalog.get(id)?.categories ?? []);
  return categories.some((c) => c.length > 0) ? categoryJaccardDistance(categories) : undefined;
}
