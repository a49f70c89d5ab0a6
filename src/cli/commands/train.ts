import { basename, dirname, join } from 'node:path';
import { loadConfig, type TideConfig } from '../../config/config.js';
import { TideError } from '../../core/errors.js';
import type { Dataset } from '../../data/dataset.js';
import type { Split } from '../../data/split.js';
import { type EvalReport, evaluateModel } from '../../eval/evaluate.js';
import { formatReportTable } from '../../eval/report.js';
import { familyName, NEURAL_FAMILY_NAMES, neuralFamily } from '../../models/neural/families.js';
import type { NamedWeights } from '../../models/neural/network.js';
import { NeuralRecommender } from '../../models/neural/recommender.js';
import { loadModel, MANIFEST_FILE } from '../../models/neural/saved-model.js';
import { isCheckpoint, readCheckpoint } from '../../training/checkpoint.js';
import { splitTrainingKeys, TrainConfig } from '../../training/config.js';
import { neuralTrainer } from '../../training/neural-trainer.js';
import { DATA_FLAGS, DATA_HELP, loadDataFromFlags } from '../data-options.js';
import { Flags, parseDuration } from '../flags.js';
import { TerminalProgress } from '../progress-bar.js';
import { makeSplit, parseModelConfig } from './eval.js';

export const TRAIN_HELP = `tide train --data <dir> --model ${NEURAL_FAMILY_NAMES.join('|')} --out <dir> [options]

Trains a sequence model self-supervised on next-item prediction (leave-one-out: trains on all but
each user's last two events, stops early on the second last), reports full-ranking test metrics,
and saves the model directory (manifest.json + the weights file it names) that 'tide eval
--model-dir' and the engine load without tfjs. A checkpoint is written to <out>/checkpoint after
every epoch and on Ctrl-C; --resume continues from it (and refuses one of another run).

  --epochs N             at most N epochs (default 200; early stopping usually ends sooner)
  --budget 45m|1h|90s    at most this long: no epoch starts that would end past it
  --loss full-ce|sampled-ce|bce   (default full-ce)
  --windows last|all     train on each user's last maxLength events (default) or on all of them
  --batch-size N, --lr X, --negatives N, --patience N, --weight-decay X, --eval-every N
  --model-config <json>  network (e.g. '{"dim": 50, "blocks": 2}') and training keys together
  --resume               continue from <out>/checkpoint
  --split loo|temporal   leave-one-out (default with --data) or a time cut (default with --store:
                         trained before the cut, validated and tested on the latest slice)
  --cut F|<ISO time>     temporal: the share of events before the test cut (default 0.9) or its time
  --validation latest|events|loo  temporal: stop early on the latest slice before the cut (each
                         user's first event after 4 cuts in it, the default; or every event in it)
                         or on each user's second last event before it (leave-one-out holdouts)
  --init-from <dir>      warm start: every weight of this saved model (or the best of a checkpoint
                         folder, <out>/checkpoint) with the same name and shape as one of the new
                         model's starts from its value (e.g. fused from a trained sasrec: the
                         layers they share)
  --json                 print the test report as one JSON object
${DATA_HELP}`;

export async function trainCommand(args: string[]): Promise<void> {
  const flags = Flags.parse(args, {
    ...TRAIN_FLAGS,
    out: { type: 'string' },
    resume: { type: 'boolean' },
    'init-from': { type: 'string' },
    split: { type: 'string' },
    cut: { type: 'string' },
    validation: { type: 'string' },
    json: { type: 'boolean' },
  });
  const out = flags.string('out');
  if (!out) throw new TideError('CONFIG', '--out <dir> is required: where the trained model is written');
  const config = await loadConfig(flags.string('config'));
  const { name, training, network } = trainingFromFlags(flags, config);
  let interrupted = false;
  const onSignal = () => {
    if (interrupted) process.exit(130);
    interrupted = true;
    process.stderr.write(
      '\ninterrupt: finishing this batch and writing a checkpoint (Ctrl-C again to quit now)\n',
    );
  };
  process.on('SIGINT', onSignal);
  const dataset = await loadDataFromFlags(flags, config);
  const initFrom = flags.string('init-from');
  const initialWeights = initFrom ? await warmStartWeights(initFrom, dataset.itemIds.ids()) : undefined;
  // a live store is split by time: its latest slice is what the model will be asked about
  const fromStore = flags.string('store') !== undefined && flags.string('data') === undefined;
  const split = makeSplit(
    dataset,
    flags.string('split') ?? (fromStore ? 'temporal' : 'loo'),
    flags.string('cut'),
    flags.string('validation'),
  );
  const { model, report } = await trainModel({
    name,
    network,
    training,
    dataset,
    split,
    out,
    initialWeights,
    resume: flags.boolean('resume'),
    shouldStop: () => interrupted,
  });
  process.off('SIGINT', onSignal);
  const trained = model.trainReport;
  if (initFrom && trained?.warmStarted && !flags.boolean('json')) {
    process.stderr.write(
      `warm start from ${initFrom}: ${trained.warmStarted.length} weights (${trained.warmStarted.join(', ')})\n`,
    );
  }
  const summary = { ...report, training: trained && { ...trained, history: undefined } };
  if (flags.boolean('json')) process.stdout.write(`${JSON.stringify(summary)}\n`);
  else {
    process.stdout.write(`${formatReportTable([report])}\n`);
    process.stdout.write(
      `trained ${trained?.epochs} epochs (${trained?.stopped}), best epoch ${trained?.bestEpoch}, ${trained?.secondsPerEpoch.toFixed(1)} s/epoch, peak RSS ${trained?.peakRssMiB} MiB; saved to ${out}\n`,
    );
  }
}

/** The flags of the model and its training, shared by `tide train` and `tide worker`. */
export const TRAIN_FLAGS = {
  ...DATA_FLAGS,
  model: { type: 'string' },
  epochs: { type: 'string' },
  loss: { type: 'string' },
  windows: { type: 'string' },
  'batch-size': { type: 'string' },
  lr: { type: 'string' },
  negatives: { type: 'string' },
  patience: { type: 'string' },
  'weight-decay': { type: 'string' },
  'eval-every': { type: 'string' },
  'model-config': { type: 'string' },
  seed: { type: 'string' },
  budget: { type: 'string' },
} as const;

/** The family, its training config and its network config, from the config file and the flags. */
export function trainingFromFlags(
  flags: Flags,
  config: TideConfig,
): { name: string; training: TrainConfig; network: Record<string, unknown> } {
  const name = familyName(flags.string('model') ?? '');
  neuralFamily(name);
  const fromFile = splitTrainingKeys(config.models[name] ?? {});
  const overrides = splitTrainingKeys(parseModelConfig(flags.string('model-config')));
  const training = TrainConfig.parse({
    seed: config.seed,
    ...fromFile.training,
    ...overrides.training,
    ...numberFlag(flags, 'epochs', 'epochs'),
    ...(flags.string('loss') !== undefined && { loss: flags.string('loss') }),
    ...(flags.string('windows') !== undefined && { windows: flags.string('windows') }),
    ...numberFlag(flags, 'batch-size', 'batchSize'),
    ...numberFlag(flags, 'lr', 'learningRate'),
    ...numberFlag(flags, 'negatives', 'negatives'),
    ...numberFlag(flags, 'patience', 'patience'),
    ...numberFlag(flags, 'weight-decay', 'weightDecay'),
    ...numberFlag(flags, 'eval-every', 'evalEvery'),
    ...numberFlag(flags, 'seed', 'seed'),
    ...(flags.string('budget') !== undefined && {
      budgetSeconds: parseDuration(flags.string('budget')!, '--budget') / 1000,
    }),
  });
  const network = { ...fromFile.network, ...overrides.network };
  return { name, training, network };
}

/** What one training run needs. */
export interface TrainSetup {
  name: string;
  network: Record<string, unknown>;
  training: TrainConfig;
  dataset: Dataset;
  split: Split;
  /** Where the model (and its checkpoints) are written. */
  out: string;
  initialWeights?: NamedWeights;
  resume?: boolean;
  shouldStop?: () => boolean;
}

/** Trains a neural model on the split's training part, tests it, and saves it to `out`. */
export async function trainModel(
  setup: TrainSetup,
): Promise<{ model: NeuralRecommender; report: EvalReport }> {
  const { name, network, training, dataset, out } = setup;
  const model = new NeuralRecommender({
    name,
    family: neuralFamily(name),
    config: network,
    trainer: neuralTrainer(training, {
      checkpointDir: join(out, 'checkpoint'),
      resume: setup.resume ?? false,
      shouldStop: setup.shouldStop ?? (() => false),
      initialWeights: setup.initialWeights,
    }),
  });
  const report = await evaluateModel(model, dataset, setup.split, {
    seed: training.seed,
    progress: new TerminalProgress(),
  });
  await model.save(out, dataset.itemIds.ids(), dataset, dataset.name);
  return { model, report };
}

/**
 * The weights to warm-start from: a saved model's, or the best of a checkpoint folder (`<out>/checkpoint`,
 * or its former `<out>/checkpoint/best`), for a model of the same items (a checkpoint records none:
 * trusted).
 */
export async function warmStartWeights(dir: string, itemIds: readonly string[]): Promise<NamedWeights> {
  const checkpoint = isCheckpoint(dir)
    ? dir
    : basename(dir) === 'best' && isCheckpoint(dirname(dir))
      ? dirname(dir)
      : null;
  if (checkpoint) return (await readCheckpoint(checkpoint))!.best;
  const { manifest, weights } = await loadModel(dir);
  const sameItems =
    manifest.itemIds.length === itemIds.length && manifest.itemIds.every((id, i) => id === itemIds[i]);
  if (!sameItems) {
    throw new TideError(
      'CONFIG',
      `--init-from ${dir}: that model was trained on other items (${manifest.itemIds.length} vs ${itemIds.length}); its item tables would not line up`,
      { file: join(dir, MANIFEST_FILE), field: 'itemIds' },
    );
  }
  return weights;
}

function numberFlag(flags: Flags, flag: string, key: string): Record<string, number> {
  return flags.string(flag) === undefined ? {} : { [key]: flags.number(flag, 0) };
}
