import * as tf from '@tensorflow/tfjs';
import { TideError } from '../core/errors.js';
import { type ProgressReporter, silentProgress } from '../core/progress.js';
import { Rng } from '../core/random.js';
import type { SequenceCorpus } from '../data/corpus.js';
import type { EvalCase } from '../data/split.js';
import type { NamedWeights, SequenceNetwork } from '../models/neural/network.js';
import { initBackend } from '../nn/index.js';
import {
  type BatchOptions,
  batchTargets,
  epochBatches,
  epochTargets,
  type TrainingWindows,
  trainingBatch,
  trainingWindows,
  windowIds,
  windowLength,
} from './batches.js';
import {
  checkpointStateFile,
  type EpochRecord,
  readCheckpoint,
  type TrainerState,
  writeCheckpoint,
} from './checkpoint.js';
import type { TrainConfig } from './config.js';
import { batchLoss } from './losses.js';
import { scheduledRate } from './schedule.js';
import { validateNetwork } from './validate.js';
import { readWeights, writeMatchingWeights, writeWeights } from './weights.js';

export interface TrainInput {
  /** Sequences to learn from. */
  corpus: SequenceCorpus;
  /** Early stopping on these cases; without them, training runs all epochs. */
  validation?: { cases: readonly EvalCase[]; casesCorpus: SequenceCorpus };
}

export interface TrainHooks {
  progress?: ProgressReporter;
  /**
   * Scores the network on the validation cases instead of its own full ranking (`validateNetwork`);
   * early stopping follows its `NDCG@10`. E.g. the model with its time head, on a latest slice.
   */
  validate?: (network: SequenceNetwork, cases: readonly EvalCase[]) => Promise<Record<string, number>>;
  /** Stop after this many epochs of the schedule's `epochs` (a refit ends where its run was best). */
  epochLimit?: number;
  /**
   * What the run trains and on what (data fingerprint, network config, settings), kept in its
   * checkpoints: resuming a checkpoint whose identity differs is refused, naming what differs.
   */
  identity?: Record<string, unknown>;
  /** Write a checkpoint here after every epoch (and on interruption). */
  checkpointDir?: string;
  /** Continue from the checkpoint in checkpointDir when there is one. */
  resume?: boolean;
  /** Checked after every batch; when it returns true, training checkpoints and stops. */
  shouldStop?: () => boolean;
  /**
   * Warm start: every variable named here with the same shape starts from these values (e.g. a fused
   * model from the trained SASRec whose layers it shares); the rest keep their initialisation.
   * Ignored when a checkpoint is resumed: that holds the run's own values.
   */
  initialWeights?: NamedWeights;
}

export interface TrainResult {
  epochs: number;
  bestEpoch: number;
  bestValidation?: Record<string, number>;
  history: EpochRecord[];
  secondsPerEpoch: number;
  seconds: number;
  peakRssMiB: number;
  stopped: 'completed' | 'early-stopping' | 'budget' | 'interrupted';
  /** The variables a warm start set from `initialWeights` (absent without one). */
  warmStarted?: string[];
  /** The run of the network this one was built on (NeuralFamily.foundation), without its history. */
  foundation?: Omit<TrainResult, 'history' | 'foundation' | 'refit'>;
  /** The second run on every event before the test targets, when the config asks to refit. */
  refit?: { epochs: number; seconds: number };
}

const BETA1 = 0.9;
const BETA2 = 0.98;

/**
 * Trains a network with Adam (+ decoupled weight decay on matrices) over the `windows` of the
 * histories, in a seeded order each epoch, evaluating full-ranking NDCG@10 on validation every
 * `evalEvery` epochs, keeping the best weights and stopping after `patience` evaluations without
 * gain. Variables that `freeze` names keep their values. The network ends holding the best weights.
 *
 * @example
 * const report = await trainNetwork(network, { corpus, validation }, config, { maxLength: 200 });
 */
export async function trainNetwork(
  network: SequenceNetwork,
  input: TrainInput,
  config: TrainConfig,
  batchOptions: Omit<BatchOptions, 'batchSize'>,
  hooks: TrainHooks = {},
): Promise<TrainResult> {
  const run = await TrainingRun.start(network, input, config, batchOptions, hooks);
  while (await run.epoch()) {}
  return run.finish();
}

/**
 * One training run in its three steps: `start` (optimizer, windows, a resumed checkpoint or a warm
 * start), `epoch` (the batches, validation, the checkpoint, early stopping) and `finish` (the best
 * weights back in the network, the report).
 */
export class TrainingRun {
  private stopped: TrainResult['stopped'] = 'completed';
  private readonly started: number;

  private constructor(
    private readonly network: SequenceNetwork,
    private readonly input: TrainInput,
    private readonly config: TrainConfig,
    private readonly options: BatchOptions,
    private readonly hooks: TrainHooks,
    private readonly optimizer: tf.AdamOptimizer,
    private readonly variables: tf.Variable[],
    private readonly windows: TrainingWindows,
    private readonly ids: Int32Array,
    private readonly validationCases: readonly EvalCase[],
    private state: TrainerState,
    private best: NamedWeights,
    private readonly warmStarted: string[] | undefined,
  ) {
    this.started = performance.now() - state.seconds * 1000;
    this.progress.start('training', (config.epochs - state.epoch) * this.batchesPerEpoch - state.nextBatch);
  }

  /** Sets a run up: from the checkpoint in `hooks.checkpointDir` with `hooks.resume`, else fresh. */
  static async start(
    network: SequenceNetwork,
    input: TrainInput,
    config: TrainConfig,
    batchOptions: Omit<BatchOptions, 'batchSize'>,
    hooks: TrainHooks = {},
  ): Promise<TrainingRun> {
    await initBackend();
    const options: BatchOptions = { ...batchOptions, batchSize: config.batchSize };
    const trainable = trainableVariables(network, config.freeze);
    const trainableNames = trainable.map(([name]) => name);
    const optimizer = tf.train.adam(config.learningRate, BETA1, BETA2);
    const windows = trainingWindows(input.corpus, options.maxLength, config.windows);
    // validation without cases (e.g. a temporal split with no validation window) is no validation
    const validationCases = pickValidationCases(input.validation?.cases ?? [], config);
    let state: TrainerState = freshState(trainableNames);
    let best: NamedWeights = readWeights(network);
    const restored = hooks.checkpointDir && hooks.resume ? await readCheckpoint(hooks.checkpointDir) : null;
    if (restored) {
      checkSameIdentity(hooks.checkpointDir!, restored.state, hooks.identity);
      checkSameTrainable(hooks.checkpointDir!, restored.state, trainableNames);
      writeWeights(network, restored.current);
      await restoreOptimizer(optimizer, restored.optimizer);
      best = restored.best;
      state = restored.state;
    }
    if (hooks.identity) state.identity = hooks.identity;
    let warmStarted: string[] | undefined;
    if (!restored && hooks.initialWeights) {
      warmStarted = writeMatchingWeights(network, hooks.initialWeights);
      best = readWeights(network);
    }
    const variables = trainable.map(([, variable]) => variable);
    return new TrainingRun(
      network,
      input,
      config,
      options,
      hooks,
      optimizer,
      variables,
      windows,
      windowIds(windows),
      validationCases,
      state,
      best,
      warmStarted,
    );
  }

  private get progress(): ProgressReporter {
    return this.hooks.progress ?? silentProgress;
  }

  private get batchesPerEpoch(): number {
    return Math.ceil(this.ids.length / this.config.batchSize);
  }

  /** Trains the next epoch; false once the run is over (all epochs, early stopping, or interrupted). */
  async epoch(): Promise<boolean> {
    const { config, input, options, state, windows, network } = this;
    if (this.over()) return false;
    const batchesPerEpoch = this.batchesPerEpoch;
    const targetsPerBatch = epochTargets(input.corpus, windows, options.maxLength) / batchesPerEpoch;
    const epochStarted = performance.now();
    let lossSum = state.epochLossSum ?? 0;
    const batches = epochBatches(this.ids, config.batchSize, config.seed, state.epoch, (w) =>
      windowLength(input.corpus, windows, w, options.maxLength),
    );
    for (; state.nextBatch < batches.length; state.nextBatch++) {
      const batch = trainingBatch(input.corpus, windows, batches[state.nextBatch], options);
      // negatives seeded per (epoch, batch): a run resumed mid-epoch draws the same ones
      const rng = new Rng(
        (Math.imul(config.seed, 7919) + Math.imul(state.epoch, 104729) + state.nextBatch) >>> 0,
      );
      const weight = config.weighting === 'target' ? batchTargets(batch) / targetsPerBatch : 1;
      const rate = scheduledRate(
        config,
        state.epoch * batchesPerEpoch + state.nextBatch,
        config.epochs * batchesPerEpoch,
      );
      setLearningRate(this.optimizer, rate);
      network.atStep?.(state.epoch * batchesPerEpoch + state.nextBatch);
      const loss = this.optimizer.minimize(
        () => batchLoss(network, batch, config, rng).mul(weight),
        true,
        this.variables,
      );
      // reported unweighted: the mean loss per target of this batch
      const value = loss ? (await loss.data())[0] / weight : Number.NaN;
      loss?.dispose();
      if (!Number.isFinite(value)) {
        throw new TideError(
          'NOT_TRAINED',
          `training diverged: loss ${value} at epoch ${state.epoch + 1}, batch ${state.nextBatch + 1}; try a lower learning rate (the last checkpoint is intact)`,
        );
      }
      lossSum += value;
      state.epochLossSum = lossSum;
      if (config.weightDecay > 0) decayMatrices(this.variables, rate * config.weightDecay);
      this.progress.tick(1, {
        epoch: state.epoch + 1,
        loss: (lossSum / (state.nextBatch + 1)).toFixed(4),
        ...(config.schedule === 'constant' ? {} : { lr: rate.toPrecision(3) }),
        ...lastValidation(state),
      });
      // The backend's awaits resolve as microtasks, so without this a signal handler (Ctrl-C) would
      // not run before the epoch's checkpoint I/O: minutes late.
      await yieldToEventLoop();
      if (this.hooks.shouldStop?.()) {
        state.nextBatch++;
        this.stopped = 'interrupted';
        return false;
      }
    }
    const record: EpochRecord = {
      epoch: state.epoch + 1,
      loss: lossSum / batches.length,
      seconds: (performance.now() - epochStarted) / 1000,
    };
    state.epochLossSum = 0;
    await this.validate(record);
    state.history.push(record);
    state.seconds = (performance.now() - this.started) / 1000;
    state.peakRssMiB = Math.max(state.peakRssMiB ?? 0, peakRssMiB());
    if (this.hooks.checkpointDir)
      await checkpoint(this.hooks.checkpointDir, network, this.best, this.optimizer, {
        ...state,
        epoch: state.epoch + 1,
        nextBatch: 0,
      });
    state.epoch++;
    state.nextBatch = 0;
    return !this.over();
  }

  /**
   * True once the run has nothing left to do: all its epochs, patience spent, or its budget (the
   * next epoch would end past it). Checked before an epoch too, so that a checkpoint of a finished
   * run resumes to the same end instead of training one more epoch.
   */
  private over(): boolean {
    const { config, state } = this;
    if (state.evaluationsWithoutGain >= config.patience) {
      this.stopped = 'early-stopping';
      return true;
    }
    if (state.epoch >= Math.min(config.epochs, this.hooks.epochLimit ?? config.epochs)) return true;
    const meanEpoch = state.history.length > 0 ? state.seconds / state.history.length : 0;
    if (
      config.budgetSeconds !== undefined &&
      meanEpoch > 0 &&
      state.seconds + meanEpoch > config.budgetSeconds
    ) {
      this.stopped = 'budget';
      return true;
    }
    return false;
  }

  /** Scores the epoch on validation when it is due, keeping the best weights so far. */
  private async validate(record: EpochRecord): Promise<void> {
    const { config, state } = this;
    const validation = this.validationCases.length > 0 ? this.input.validation : undefined;
    const lastEpoch = state.epoch + 1 === config.epochs;
    if (validation && ((state.epoch + 1) % config.evalEvery === 0 || lastEpoch)) {
      record.validation = this.hooks.validate
        ? await this.hooks.validate(this.network, this.validationCases)
        : validateNetwork(
            this.network,
            validation.casesCorpus,
            this.input.corpus,
            this.validationCases,
            this.options,
          );
      if (record.validation['NDCG@10'] > state.bestScore) {
        state.bestScore = record.validation['NDCG@10'];
        state.bestEpoch = state.epoch + 1;
        state.evaluationsWithoutGain = 0;
        this.best = readWeights(this.network);
      } else {
        state.evaluationsWithoutGain++;
      }
    } else if (!validation) {
      this.best = readWeights(this.network);
      state.bestEpoch = state.epoch + 1;
    }
  }

  /** Ends the run: the checkpoint of an interrupted one, the best weights back in the network, the report. */
  async finish(): Promise<TrainResult> {
    const { state } = this;
    state.seconds = (performance.now() - this.started) / 1000;
    if (this.stopped === 'interrupted' && this.hooks.checkpointDir)
      await checkpoint(this.hooks.checkpointDir, this.network, this.best, this.optimizer, state);
    this.progress.done(lastValidation(state));
    writeWeights(this.network, this.best);
    this.optimizer.dispose();
    const trainedEpochs = state.history.length;
    return {
      epochs: trainedEpochs,
      bestEpoch: state.bestEpoch,
      bestValidation: state.history.find((h) => h.epoch === state.bestEpoch)?.validation,
      history: state.history,
      secondsPerEpoch: trainedEpochs
        ? state.history.reduce((sum, h) => sum + h.seconds, 0) / trainedEpochs
        : 0,
      seconds: state.seconds,
      peakRssMiB: Math.max(state.peakRssMiB ?? 0, peakRssMiB()),
      stopped: this.stopped,
      ...(this.warmStarted && { warmStarted: this.warmStarted }),
    };
  }
}

function peakRssMiB(): number {
  return Math.round(process.resourceUsage().maxRSS / 1024);
}

function yieldToEventLoop(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

function freshState(trainable: string[]): TrainerState {
  return {
    trainable,
    epoch: 0,
    nextBatch: 0,
    bestScore: Number.NEGATIVE_INFINITY,
    bestEpoch: 0,
    evaluationsWithoutGain: 0,
    history: [],
    seconds: 0,
  };
}

/** v <- v * (1 - lr * wd) for matrices and embeddings; biases and norms are left alone. */
function decayMatrices(variables: tf.Variable[], factor: number): void {
  tf.tidy(() => {
    for (const v of variables) if (v.rank >= 2) v.assign(v.mul(1 - factor));
  });
}

/** A seeded subset of validation cases when fewer than all are wanted. */
function pickValidationCases(cases: readonly EvalCase[], config: TrainConfig): readonly EvalCase[] {
  if (cases.length <= config.validUsers) return cases;
  return new Rng(config.seed)
    .shuffle(cases.slice())
    .slice(0, config.validUsers)
    .sort((a, b) => a.user - b.user);
}

function lastValidation(state: TrainerState): Record<string, string> {
  const last = [...state.history].reverse().find((h) => h.validation);
  return last?.validation ? { 'valid NDCG@10': last.validation['NDCG@10'].toFixed(4) } : {};
}

/** tfjs's Adam reads its (protected) learning rate at every step, so a schedule can move it. */
function setLearningRate(optimizer: tf.AdamOptimizer, rate: number): void {
  (optimizer as unknown as { learningRate: number }).learningRate = rate;
}

/**
 * Adam's bias-correction powers live outside getWeights(), and setWeights() recomputes them with
 * pow(), which rounds differently from the running product training keeps; they are saved and
 * restored exactly so that a resumed run matches an uninterrupted one bit for bit.
 */
interface AdamBiasCorrection {
  accBeta1: tf.Variable;
  accBeta2: tf.Variable;
}
const BIAS_CORRECTION = ['accBeta1', 'accBeta2'] as const;

async function restoreOptimizer(optimizer: tf.AdamOptimizer, saved: NamedWeights): Promise<void> {
  const moments = [...saved].filter(([name]) => !name.startsWith('optimizer/acc'));
  await optimizer.setWeights(moments.map(([name, w]) => ({ name, tensor: tf.tensor(w.data, w.shape) })));
  const internals = optimizer as unknown as AdamBiasCorrection;
  for (const key of BIAS_CORRECTION) {
    const value = saved.get(`optimizer/${key}`);
    if (value) internals[key].assign(tf.scalar(value.data[0]));
  }
}

async function checkpoint(
  dir: string,
  network: SequenceNetwork,
  best: NamedWeights,
  optimizer: tf.AdamOptimizer,
  state: TrainerState,
): Promise<void> {
  const moments: NamedWeights = new Map();
  for (const [index, { tensor }] of (await optimizer.getWeights()).entries()) {
    moments.set(`optimizer/${index}`, {
      shape: [...tensor.shape],
      data: Float32Array.from((await tensor.data()) as Float32Array),
    });
  }
  const internals = optimizer as unknown as AdamBiasCorrection;
  for (const key of BIAS_CORRECTION) {
    moments.set(`optimizer/${key}`, {
      shape: [1],
      data: Float32Array.from(internals[key].dataSync() as Float32Array),
    });
  }
  await writeCheckpoint(dir, readWeights(network), best, moments, state);
}

/**
 * A checkpoint continues only the run that wrote it: the same data, network and settings (a
 * checkpoint older than this record, or a run that states none, is trusted).
 */
function checkSameIdentity(
  dir: string,
  saved: TrainerState,
  identity: Record<string, unknown> | undefined,
): void {
  if (!saved.identity || !identity) return;
  const differs = differingKeys(saved.identity, identity);
  if (differs.length === 0) return;
  throw new TideError(
    'CONFIG',
    `--resume: the checkpoint in ${dir} is of another run: ${differs.join('; ')}. Start a new run (another --out), or resume with what the run started with.`,
    { file: checkpointStateFile(dir), field: 'identity' },
  );
}

/** "path: saved → now" for every leaf that differs between two JSON-like values. */
function differingKeys(saved: unknown, now: unknown, path = ''): string[] {
  const isObject = (x: unknown): x is Record<string, unknown> =>
    typeof x === 'object' && x !== null && !Array.isArray(x);
  if (isObject(saved) && isObject(now)) {
    const keys = [...new Set([...Object.keys(saved), ...Object.keys(now)])].sort();
    return keys.flatMap((key) => differingKeys(saved[key], now[key], path ? `${path}.${key}` : key));
  }
  const [a, b] = [JSON.stringify(saved), JSON.stringify(now)];
  return a === b ? [] : [`${path}: ${a ?? 'unset'} → ${b ?? 'unset'}`];
}

/**
 * Adam's saved moments line up with the trainable variables by position, so a run must resume with the
 * variables it started with (the same `freeze`); a checkpoint older than this record is trusted.
 */
function checkSameTrainable(dir: string, saved: TrainerState, trainable: readonly string[]): void {
  if (!saved.trainable || saved.trainable.join('\n') === trainable.join('\n')) return;
  const frozenNow = saved.trainable.filter((name) => !trainable.includes(name));
  const trainedNow = trainable.filter((name) => !saved.trainable!.includes(name));
  throw new TideError(
    'CONFIG',
    `training config: freeze: the checkpoint in ${dir} trained other variables than this config` +
      (frozenNow.length ? `; now frozen: ${frozenNow.join(', ')}` : '') +
      (trainedNow.length ? `; now trained: ${trainedNow.join(', ')}` : '') +
      '. Resume with the freeze list the run started with, or start a new run.',
    { file: checkpointStateFile(dir), field: 'freeze' },
  );
}

/** The network's variables less those `freeze` names by prefix; a prefix that names none is a config error. */
function trainableVariables(network: SequenceNetwork, freeze: readonly string[]): [string, tf.Variable][] {
  const names = [...network.variables.keys()];
  for (const prefix of freeze) {
    if (!names.some((name) => name.startsWith(prefix)))
      throw new TideError(
        'CONFIG',
        `training config: freeze: "${prefix}" names no variable of this network; its variables: ${names.join(', ')}`,
      );
  }
  return [...network.variables].filter(([name]) => !freeze.some((prefix) => name.startsWith(prefix)));
}
