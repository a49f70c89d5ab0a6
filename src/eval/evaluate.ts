import { TideError } from '../core/errors.js';
import { type ProgressReporter, silentProgress } from '../core/progress.js';
import { usersPerItem } from '../data/corpus.js';
import type { Dataset } from '../data/dataset.js';
import type { Split, Stage } from '../data/split.js';
import { HybridScorer } from '../models/hybrid.js';
import type { FitData, Recommender, Scorer } from '../models/model.js';
import { categoryJaccardDistance } from './beyond-accuracy.js';
import { evaluateCategories, isCategoryPredictor } from './categories.js';
import { type ColdItems, withColdItems } from './cold-items.js';
import { evaluateRanking, type RankingOptions, type RankingProtocol } from './protocol.js';
import { evaluateRatings, isRatingPredictor } from './rating.js';
import { tuneTextWeight } from './text-weight.js';

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
  /** Text vectors of the items (dense order), for text-aware models and text baselines. */
  itemText?: FitData['itemText'];
  /**
   * Items held out of training (the cold-start protocol): they are removed from the fit corpus, and
   * `cold NDCG@k` / `cold HR@k` are measured on the cases whose target is one of them.
   */
  coldItems?: ColdItems;
  /**
   * Rank by the hybrid score behaviour + w · text similarity (needs itemText); 'auto' tunes w on the
   * validation cases and reports it as `text weight`.
   */
  textWeight?: number | 'auto';
  /** Called with every test case's top list (dense items, best first; the longest cut-off). */
  onList?: RankingOptions['onList'];
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
  fullSplit: Split,
  options: EvaluateOptions = {},
): Promise<EvalReport> {
  const started = performance.now();
  const progress = options.progress ?? silentProgress;
  const stage = options.stage ?? 'test';
  const cold = options.coldItems;
  const split = cold ? withColdItems(fullSplit, cold) : fullSplit;
  const corpus = split.fitCorpus(stage);
  const validation =
    stage === 'test'
      ? {
          corpus: split.fitCorpus('valid'),
          cases: split.cases('valid'),
          casesCorpus: dataset,
          heldOut: split.validation,
        }
      : undefined;
  const itemCategories = dataset.itemIds.ids().map((id) => dataset.catalog.get(id)?.categories ?? []);
  const fit = await model.fit({ corpus, validation, itemCategories, itemText: options.itemText }, progress);
  if (cold && isForgetful(model)) model.forgetItems(cold.items);
  const cases = split.cases(stage);
  const rankingOptions: RankingOptions = {
    ks: options.ks ?? [10],
    protocol: options.protocol ?? 'full',
    negatives: options.negatives ?? 100,
    seed: options.seed ?? 42,
    corpus: dataset,
    // a temporal test: the events after the cut reach the models' streaming features as they happen
    // (not with cold items, whose second pass over the cases would see the replayed future)
    replay: split.kind === 'temporal' && stage === 'test' && !cold,
    usersWithItem: usersPerItem(corpus),
    itemDistance: itemCategories.some((c) => c.length > 0)
      ? categoryJaccardDistance(itemCategories)
      : undefined,
    progress,
  };
  const { scorer, textWeight, tuning } = hybridOf(model, split, options, rankingOptions);
  const ranking = evaluateRanking(scorer, cases, { ...rankingOptions, onList: options.onList });
  const metrics = { ...ranking.metrics, ...tuning };
  if (textWeight !== undefined) metrics['text weight'] = textWeight;
  if (cold) {
    const coldCases = cases.filter((c) => cold.isHeldOut[c.target]);
    const coldRanking = evaluateRanking(scorer, coldCases, { ...rankingOptions, progress: silentProgress });
    metrics['cold cases'] = coldCases.length;
    for (const [name, value] of Object.entries(coldRanking.metrics))
      if (/^(NDCG|HR|MRR)/.test(name)) metrics[`cold ${name}`] = value;
  }
  if (dataset.values && isRatingPredictor(model))
    Object.assign(metrics, evaluateRatings(model, cases, dataset));
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

function isForgetful(model: Recommender): model is Recommender & { forgetItems(items: Int32Array): void } {
  return typeof (model as Partial<{ forgetItems: unknown }>).forgetItems === 'function';
}

/** The model itself, or its hybrid with the item text at the given or tuned weight. */
function hybridOf(
  model: Recommender,
  split: Split,
  options: EvaluateOptions,
  rankingOptions: RankingOptions,
): { scorer: Scorer; textWeight?: number; tuning?: Record<string, number> } {
  const { textWeight, itemText } = options;
  if (textWeight === undefined) return { scorer: model };
  if (!itemText) throw new TideError('CONFIG', 'a text weight needs item text vectors (--text)');
  if (textWeight !== 'auto') return { scorer: new HybridScorer(model, itemText, textWeight), textWeight };
  const quiet = { ...rankingOptions, progress: silentProgress };
  const tuned = tuneTextWeight(model, itemText, split.cases('valid'), quiet);
  const tuning: Record<string, number> = {};
  for (const [weight, ndcg] of Object.entries(tuned.ndcgByWeight))
    tuning[`valid NDCG@10 at w=${weight}`] = ndcg;
  return { scorer: new HybridScorer(model, itemText, tuned.weight), textWeight: tuned.weight, tuning };
}
