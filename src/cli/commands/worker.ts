import { mkdir } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { loadConfig } from '../../config/config.js';
import { TideError } from '../../core/errors.js';
import { openServingModel } from '../../engine/serving-model.js';
import { evaluateModel } from '../../eval/evaluate.js';
import type { NamedWeights } from '../../models/neural/network.js';
import { openStore } from '../../storage/open.js';
import { loadDataFromFlags } from '../data-options.js';
import { Flags, parseDuration } from '../flags.js';
import { TerminalProgress } from '../progress-bar.js';
import { makeSplit, savedModel } from './eval.js';
import { TRAIN_FLAGS, trainingFromFlags, trainModel, warmStartWeights } from './train.js';

export const WORKER_HELP = `tide worker --store <url> --model <family> (--once | --every <6h>) [options]

Keeps the served model fresh. Each round trains a candidate on the store's event log up to now,
holding out its latest time slice (--cut), warm-started from the store's active model when that
model's items still match the catalogue; scores the candidate and the active model on the same
slice; registers the candidate with both figures, and makes it the active model when it is not
worse. Servers on the store (Postgres) swap to the active model by themselves; a round never blocks
them.

  --once                 one round, then exit (for cron)
  --every <N>m|h|d       a round every N minutes, hours or days until Ctrl-C
  --models-dir <dir>     where each round's model is saved (default ./tide-models)
  --cut F|<ISO time>     the latest slice: events after this share (default 0.9) or time
  (and the options of tide train: --epochs, --lr, --model-config, ...)`;

/** What a round did. */
export interface RoundResult {
  modelId: string;
  dir: string;
  candidateNdcg: number;
  servingNdcg: number | null;
  promoted: boolean;
}

export async function workerCommand(args: string[]): Promise<void> {
  const flags = Flags.parse(args, {
    ...TRAIN_FLAGS,
    once: { type: 'boolean' },
    every: { type: 'string' },
    'models-dir': { type: 'string' },
    cut: { type: 'string' },
  });
  if (!flags.string('store'))
    throw new TideError('CONFIG', '--store <url> is required: the store to train from');
  const every = flags.string('every');
  if (!flags.boolean('once') && every === undefined)
    throw new TideError('CONFIG', 'give --once or --every <6h>');
  const periodMs = every === undefined ? 0 : parseDuration(every, '--every');
  let stopping = false;
  let wake: (() => void) | null = null;
  const stop = () => {
    stopping = true;
    wake?.();
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
  try {
    for (;;) {
      const started = Date.now();
      const result = await workerRound(flags);
      const verdict = result.promoted
        ? 'promoted: now the active model'
        : `kept the active model (NDCG@10 ${result.servingNdcg?.toFixed(4)} on the same slice)`;
      process.stdout.write(
        `tide worker: ${result.modelId} NDCG@10 ${result.candidateNdcg.toFixed(4)} on the latest slice; ${verdict}\n`,
      );
      if (flags.boolean('once') || stopping) return;
      const wait = Math.max(0, started + periodMs - Date.now());
      await new Promise<void>((done) => {
        const timer = setTimeout(done, wait);
        wake = () => {
          clearTimeout(timer);
          done();
        };
      });
      if (stopping) return;
    }
  } finally {
    process.off('SIGINT', stop);
    process.off('SIGTERM', stop);
  }
}

/** One round: train, compare on the latest slice, register, promote when not worse. */
export async function workerRound(flags: Flags): Promise<RoundResult> {
  const config = await loadConfig(flags.string('config'));
  const { name, training, network } = trainingFromFlags(flags, config);
  const dataset = await loadDataFromFlags(flags, config);
  const split = makeSplit(dataset, 'temporal', flags.string('cut'));
  const store = await openStore(flags.string('store')!);
  try {
    const active = await store.models.active();
    let initialWeights: NamedWeights | undefined;
    if (active)
      initialWeights = await warmStartWeights(active.dir, dataset.itemIds.ids()).catch(() => undefined);
    const modelsDir = resolve(flags.string('models-dir') ?? './tide-models');
    await mkdir(modelsDir, { recursive: true });
    const out = join(modelsDir, `${name}-${new Date().toISOString().replace(/[:.]/g, '-')}`);
    const { report } = await trainModel({ name, network, training, dataset, split, out, initialWeights });
    const candidateNdcg = report.metrics['NDCG@10'];
    let servingNdcg: number | null = null;
    if (active) {
      const serving = (await savedModel(active.dir, dataset))();
      const progress = new TerminalProgress();
      servingNdcg = (await evaluateModel(serving, dataset, split, { seed: training.seed, progress })).metrics[
        'NDCG@10'
      ];
    }
    const model = await openServingModel(out);
    await store.models.register({
      id: model.id,
      dir: out,
      family: model.family,
      createdAt: Date.now(),
      metrics: { 'NDCG@10': candidateNdcg, ...(servingNdcg !== null && { 'serving NDCG@10': servingNdcg }) },
    });
    const promoted = servingNdcg === null || candidateNdcg >= servingNdcg;
    if (promoted) await store.models.activate(model.id);
    return { modelId: model.id, dir: out, candidateNdcg, servingNdcg, promoted };
  } finally {
    await store.close();
  }
}
