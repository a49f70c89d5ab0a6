/**
 * Training of the neural families, kept apart from the models as LensKit keeps training apart from
 * its algorithms: a NeuralRecommender scores, and `neuralTrainer` is what its `fit` runs. It trains
 * the network with tfjs, fits the category head, reads the inference weights out, installs them in
 * the model, then checks the fused gate and fits the time head on the validation cases.
 */
import { TideError } from '../core/errors.js';
import type { ProgressReporter } from '../core/progress.js';
import { ItemTrend } from '../data/item-trend.js';
import type { FitData } from '../models/model.js';
import { categoryVocabulary } from '../models/neural/category-head.js';
import {
  type NeuralRecommender,
  type NeuralTrainer,
  OUTPUT_BIAS,
  OUTPUT_TABLE,
} from '../models/neural/recommender.js';
import { initBackend } from '../nn/index.js';
import { fitCategoryHead } from './category-head.js';
import type { TrainConfig } from './config.js';
import { fitModelTimeHead } from './time-head.js';
import { type TrainHooks, trainNetwork } from './trainer.js';
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
  await initBackend();
  const network = family.createNetwork(config, data.corpus.nItems, settings.seed, data.itemText);
  const corpus = data.validation ? data.validation.corpus : data.corpus;
  const inputs = { withTimeGaps: hasFlag(config, 'useTimeGaps'), withTypes: hasFlag(config, 'useTypes') };
  const report = await trainNetwork(
    network,
    {
      corpus,
      validation: data.validation && {
        cases: data.validation.cases,
        casesCorpus: data.validation.casesCorpus,
      },
    },
    settings,
    { maxLength: config.maxLength, ...inputs },
    { ...hooks, progress },
  );
  if (report.stopped === 'interrupted') {
    for (const variable of network.variables.values()) variable.dispose();
    const where = hooks.checkpointDir ? ` in ${hooks.checkpointDir}` : '';
    throw new TideError(
      'NOT_TRAINED',
      `training interrupted in epoch ${report.history.length + 1}; the checkpoint${where} continues with --resume`,
    );
  }
  const weights = readWeights(network);
  let categories: string[] | null = null;
  if (data.itemCategories?.some((c) => c.length > 0)) {
    const vocabulary = categoryVocabulary(data.itemCategories);
    const head = fitCategoryHead(network, corpus, vocabulary, {
      maxLength: config.maxLength,
      ...inputs,
      positionsPerUser: 16,
      steps: 300,
      seed: settings.seed,
    });
    for (const [name, w] of head) weights.set(name, w);
    categories = vocabulary.names;
  }
  network.inferenceWeights?.(weights);
  const output = readOutputLayer(network);
  weights.set(OUTPUT_TABLE, { shape: [data.corpus.nItems + 1, output.dim], data: output.table });
  if (output.bias) weights.set(OUTPUT_BIAS, { shape: [data.corpus.nItems + 1], data: output.bias });
  for (const variable of network.variables.values()) variable.dispose();
  model.install({ family, config, numItems: data.corpus.nItems, weights, categories, report });

  if (data.validation) model.checkGateOn(data.validation);
  if (settings.timeHead && !data.corpus.timestamps) warnNoTimes();
  if (settings.timeHead && data.validation && data.corpus.timestamps)
    model.recordTimeHeadFit(await fitModelTimeHead(model, data.validation));
  if (model.hasTimeHead) model.useTrend(ItemTrend.fromCorpus(data.corpus, model.halfLives()));
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
