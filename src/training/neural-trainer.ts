/**
 * Training of the neural families, kept apart from the models as LensKit keeps training apart from
 * its algorithms: a NeuralRecommender scores, and `neuralTrainer` is what its `fit` runs. It trains
 * the network with tfjs, fits the category head, reads the inference weights out, installs them in
 * the model, then checks the fused gate and fits the time head on the validation cases.
 */
import { join } from 'node:path';
import { TideError } from '../core/errors.js';
import type { ProgressReporter } from '../core/progress.js';
import { ItemTrend } from '../data/item-trend.js';
import type { EvalCase } from '../data/split.js';
import type { FitData } from '../models/model.js';
import { categoryVocabulary } from '../models/neural/category-head.js';
import { FIXED_GATE } from '../models/neural/gate-check.js';
import type { Foundation, NamedWeights, SequenceNetwork } from '../models/neural/network.js';
import { RATING_KERNEL } from '../models/neural/rating-head.js';
import {
  NeuralRecommender,
  type NeuralTrainer,
  OUTPUT_BIAS,
  OUTPUT_TABLE,
  TIME_HEAD_HALF_LIVES,
} from '../models/neural/recommender.js';
import { fingerprint } from '../models/neural/saved-model.js';
import { TIME_HEAD_KERNEL } from '../models/neural/time-head.js';
import { initBackend } from '../nn/index.js';
import { fitCategoryHead } from './category-head.js';
import type { TrainConfig } from './config.js';
import { checkRatingHead, fitRatingHead } from './rating-head.js';
import { fitModelTimeHead } from './time-head.js';
import { type TrainHooks, type TrainResult, trainNetwork } from './trainer.js';
import { readOutputLayer, readWeights } from './weights.js';

/**
 * @example
 * const model = new NeuralRecommender({ name: 'sasrec', family, config, trainer: neuralTrainer(training) });
 */
export function neuralTrainer(
  settings: TrainConfig,
  hooks: Omit<TrainHooks, 'progress'> = {},
): NeuralTrainer {
  return {
    settings,
    fit: (model, data, progress) => fitNeural(model, data, settings, hooks, progress),
  };
}

async function fitNeural(
  model: NeuralRecommender,
  data: FitData,
  settings: TrainConfig,
  hooks: Omit<TrainHooks, 'progress'>,
  progress: ProgressReporter,
): Promise<void> {
  const { family, config } = await model.familyForTraining(data);
  const network: NetworkToTrain = { family, config, data, progress };
  const foundation = family.foundation?.(config) ?? null;
  const base: NetworkToTrain | null = foundation && { ...foundation, data, progress };
  const validation = data.validation;
  // on the latest slice of time, what is popular then weighs as much as the history: stop early on
  // the model with its time head, the way it will answer, not on the network alone
  const withTimeHead =
    validation?.heldOut === 'latest-slice' && settings.timeHead && data.corpus.timestamps !== null;
  const validatorFor = (trained: NetworkToTrain) =>
    validation && withTimeHead
      ? (candidate: SequenceNetwork, cases: readonly EvalCase[]) =>
          validateWithTimeHead(model.name, trained, candidate, { ...validation, cases })
      : undefined;
  // how long to train may change between a run and its resume; what it learns from may not
  const {
    epochs: _epochs,
    patience: _patience,
    evalEvery: _evalEvery,
    budgetSeconds: _budget,
    ...fixed
  } = settings;
  const identityOf = (trained: NetworkToTrain, stageSettings: Partial<TrainConfig>) => ({
    data: fingerprint('', data.corpus),
    validation: validation && {
      data: fingerprint('', validation.corpus),
      heldOut: validation.heldOut ?? null,
      cases: validation.cases.length,
    },
    network: trained.config,
    settings: stageSettings,
  });
  const trainingCorpus = validation?.corpus ?? data.corpus;
  // the foundation first (its checkpoints in a folder of their own), then the model on it
  const baseRun =
    base &&
    (await trainWeights(
      base,
      trainingCorpus,
      validation,
      settings,
      {
        ...hooks,
        validate: validatorFor(base),
        identity: identityOf(base, fixed),
        checkpointDir: hooks.checkpointDir && join(hooks.checkpointDir, FOUNDATION_CHECKPOINT),
      },
      undefined,
      true,
    ));
  const modelSettings = baseRun ? onFoundation(settings, foundation!, baseRun) : settings;
  const first = await trainWeights(network, trainingCorpus, validation, modelSettings, {
    ...hooks,
    initialWeights: onTopOf(hooks.initialWeights, baseRun),
    validate: validatorFor(network),
    // a foundation trained further on resume (more epochs, more patience) is another model's base
    identity: {
      ...identityOf(network, baseRun ? { ...fixed, freeze: modelSettings.freeze } : fixed),
      ...(baseRun && { foundation: { epochs: baseRun.report.epochs, bestEpoch: baseRun.report.bestEpoch } }),
    },
  });
  const firstReport: TrainResult = baseRun
    ? { ...first.report, foundation: stageSummary(baseRun.report) }
    : first.report;
  model.install({ family, config, numItems: data.corpus.nItems, ...first, report: firstReport });

  if (data.validation) model.checkGateOn(data.validation);
  const ratingCheck = data.validation ? checkRatingHead(model, data.validation) : null;
  model.recordRatingHeadFit(ratingCheck);
  if (settings.timeHead && !data.corpus.timestamps) warnNoTimes();
  if (settings.timeHead && data.validation && data.corpus.timestamps)
    model.recordTimeHeadFit(await fitModelTimeHead(model, data.validation));
  // a refit: only when something was held out (a cut without a validation slice holds nothing
  // back), and only when the budget leaves room for its epochs
  const heldBack = validation !== undefined && validation.cases.length > 0;
  const wanted = settings.refit ?? validation?.heldOut === 'latest-slice';
  const epochs = Math.max(1, first.report.bestEpoch);
  const baseEpochs = Math.max(1, baseRun?.report.bestEpoch ?? 0);
  const spent = first.report.seconds + (baseRun?.report.seconds ?? 0);
  const cost =
    epochs * first.report.secondsPerEpoch + (baseRun ? baseEpochs * baseRun.report.secondsPerEpoch : 0);
  const left = settings.budgetSeconds === undefined ? undefined : settings.budgetSeconds - spent;
  const fits = left === undefined || left >= cost;
  if (heldBack && wanted && fits) {
    // what was fitted on the held-out cases carries over to the network trained on them
    const carried = model.weightsNamed(FITTED_ON_VALIDATION);
    const started = performance.now();
    // the schedule of the run it repeats (a decaying rate decays as it did), stopped where that was best;
    // no checkpoints: an interrupted refit starts again from the first run's
    const refitting =
      'refitting on every event before the test targets; --resume starts the refit again from the completed first run';
    const unbounded = { patience: Number.MAX_SAFE_INTEGER, budgetSeconds: undefined };
    const baseAgain =
      base &&
      (await trainWeights(
        base,
        data.corpus,
        undefined,
        { ...settings, ...unbounded },
        { shouldStop: hooks.shouldStop, initialWeights: hooks.initialWeights, epochLimit: baseEpochs },
        refitting,
        true,
      ));
    const again = await trainWeights(
      network,
      data.corpus,
      undefined,
      { ...modelSettings, ...unbounded },
      {
        shouldStop: hooks.shouldStop,
        initialWeights: onTopOf(hooks.initialWeights, baseAgain),
        epochLimit: epochs,
      },
      refitting,
    );
    for (const [name, weight] of carried) again.weights.set(name, weight);
    if (ratingCheck && !ratingCheck.kept) again.weights.delete(RATING_KERNEL);
    const report = { ...firstReport, refit: { epochs, seconds: (performance.now() - started) / 1000 } };
    model.install({ family, config, numItems: data.corpus.nItems, ...again, report });
  }
  if (model.hasTimeHead) model.useTrend(ItemTrend.fromCorpus(data.corpus, model.halfLives()));
}

/**
 * The network as the model it will become, time head included: its inference weights in a scoring
 * model, the head fitted on the validation cases, and the cases' NDCG@10 with and without it.
 */
async function validateWithTimeHead(
  name: string,
  { family, config, data }: NetworkToTrain,
  trained: SequenceNetwork,
  validation: NonNullable<FitData['validation']>,
): Promise<Record<string, number>> {
  const probe = new NeuralRecommender({ name, config });
  probe.install({
    family,
    config,
    numItems: data.corpus.nItems,
    weights: inferenceWeights(trained, data.corpus.nItems),
    categories: null,
    report: {
      epochs: 0,
      bestEpoch: 0,
      history: [],
      secondsPerEpoch: 0,
      seconds: 0,
      peakRssMiB: 0,
      stopped: 'completed',
    },
  });
  const fit = await fitModelTimeHead(probe, validation, undefined, 'always');
  if (!fit) return { 'NDCG@10': 0 };
  return { 'NDCG@10': fit.ndcgAfter, 'NDCG@10 without the time head': fit.ndcgBefore };
}

/** The network's weights as the plain-TS encoder reads them, with the scored table and bias. */
function inferenceWeights(network: SequenceNetwork, numItems: number): NamedWeights {
  const weights = readWeights(network);
  network.inferenceWeights?.(weights);
  const output = readOutputLayer(network);
  weights.set(OUTPUT_TABLE, { shape: [numItems + 1, output.dim], data: output.table });
  if (output.bias) weights.set(OUTPUT_BIAS, { shape: [numItems + 1], data: output.bias });
  return weights;
}

/** States the category and rating heads are fitted on, at most (16 per user up to there). */
const HEAD_SAMPLES = 200_000;

/** Weights fitted on the validation cases after training (the gate's folding, the time head). */
const FITTED_ON_VALIDATION = [FIXED_GATE, TIME_HEAD_KERNEL, TIME_HEAD_HALF_LIVES];

interface NetworkToTrain {
  family: Awaited<ReturnType<NeuralRecommender['familyForTraining']>>['family'];
  config: { maxLength: number };
  data: FitData;
  progress: ProgressReporter;
}

interface TrainedWeights {
  /**
   * The inference weights, with the heads'; of a foundation, its variables as trained, by name
   * (what the model built on it starts from).
   */
  weights: NamedWeights;
  categories: string[] | null;
  report: TrainResult;
}

/** The checkpoints of a foundation's run, in a folder of the model's checkpoint folder. */
const FOUNDATION_CHECKPOINT = 'foundation';

/**
 * The settings of the model trained on its foundation: the foundation's variables held, at most
 * the foundation's epoch count for the rest, and what a budget left after the foundation's run.
 */
function onFoundation(settings: TrainConfig, foundation: Foundation, trained: TrainedWeights): TrainConfig {
  const budgetLeft =
    settings.budgetSeconds === undefined
      ? undefined
      : Math.max(1, settings.budgetSeconds - trained.report.seconds);
  return {
    ...settings,
    epochs: Math.min(settings.epochs, foundation.epochs),
    freeze: [...new Set([...settings.freeze, ...trained.weights.keys()])],
    budgetSeconds: budgetLeft,
  };
}

/** A warm start's weights (a fused model's gate, say) with the trained foundation's over them. */
function onTopOf(
  warmStart: NamedWeights | undefined,
  foundation: TrainedWeights | null,
): NamedWeights | undefined {
  if (!foundation) return warmStart;
  return new Map([...(warmStart ?? []), ...foundation.weights]);
}

/** A run's record without its per-epoch history, as a model trained on it reports its foundation. */
function stageSummary(report: TrainResult): NonNullable<TrainResult['foundation']> {
  const { history: _history, foundation: _foundation, refit: _refit, ...summary } = report;
  return summary;
}

/**
 * A fresh network trained on `corpus` (early-stopped on `validation` when given), with its category
 * head, read out as inference weights; the tfjs variables are freed.
 */
async function trainWeights(
  { family, config, data, progress }: NetworkToTrain,
  corpus: FitData['corpus'],
  validation: FitData['validation'],
  settings: TrainConfig,
  hooks: Omit<TrainHooks, 'progress'>,
  /** What an interruption says instead of naming the checkpoint. */
  interrupted?: string,
  /**
   * A foundation: no category and rating heads (the model on it has its own), and of the run's
   * freeze list only the prefixes that name its variables (the others are the model's).
   */
  asFoundation = false,
): Promise<TrainedWeights> {
  await initBackend();
  const network = family.createNetwork(config, data.corpus.nItems, settings.seed, data.itemText);
  const inputs = { withTimeGaps: hasFlag(config, 'useTimeGaps'), withTypes: hasFlag(config, 'useTypes') };
  const names = [...network.variables.keys()];
  const freeze = asFoundation
    ? settings.freeze.filter((prefix) => names.some((name) => name.startsWith(prefix)))
    : settings.freeze;
  try {
    const report = await trainNetwork(
      network,
      {
        corpus,
        validation: validation && { cases: validation.cases, casesCorpus: validation.casesCorpus },
      },
      { ...settings, freeze },
      { maxLength: config.maxLength, ...inputs },
      { ...hooks, progress },
    );
    if (report.stopped === 'interrupted') {
      const where = hooks.checkpointDir ? ` in ${hooks.checkpointDir}` : '';
      throw new TideError(
        'NOT_TRAINED',
        interrupted
          ? `training interrupted while ${interrupted}`
          : `training interrupted in epoch ${report.history.length + 1}; the checkpoint${where} continues with --resume`,
      );
    }
    if (asFoundation) {
      return { weights: readWeights(network), categories: null, report };
    }
    // the heads read the frozen network's states before up to 16 events of each user's last window,
    // HEAD_SAMPLES at most in all
    const positionsPerUser = Math.max(1, Math.min(16, Math.floor(HEAD_SAMPLES / corpus.nUsers)));
    const sampling = { maxLength: config.maxLength, ...inputs, positionsPerUser, seed: settings.seed };
    let categories: string[] | null = null;
    const head: NamedWeights = new Map();
    if (data.itemCategories?.some((c) => c.length > 0)) {
      const vocabulary = categoryVocabulary(data.itemCategories);
      const fitted = fitCategoryHead(network, corpus, vocabulary, { ...sampling, steps: 300 });
      for (const [name, w] of fitted) head.set(name, w);
      categories = vocabulary.names;
    }
    const weights = inferenceWeights(network, data.corpus.nItems);
    for (const [name, w] of head) weights.set(name, w);
    const ratingHead = fitRatingHead(network, corpus, weights.get(OUTPUT_TABLE)!.data, {
      ...sampling,
      steps: 200,
      l2: 1e-2,
    });
    for (const [name, w] of ratingHead ?? []) weights.set(name, w);
    return { weights, categories, report };
  } finally {
    for (const variable of network.variables.values()) variable.dispose();
  }
}

let warnedNoTimes = false;

/** Says once per process that a model trains without time: the data has no event times. */
function warnNoTimes(): void {
  if (warnedNoTimes) return;
  warnedNoTimes = true;
  process.emitWarning(
    'the data has no event times: the models rank without them (no time head, no time-gap inputs)',
    'TideWarning',
  );
}

function hasFlag(config: object, flag: string): boolean {
  return (config as Record<string, unknown>)[flag] === true;
}
