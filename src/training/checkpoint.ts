import { existsSync } from 'node:fs';
import { readFile, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { NamedWeights } from '../models/neural/network.js';
import { loadModel, saveModel } from '../models/neural/saved-model.js';

/** Where training stands; enough to continue exactly where it stopped. */
export interface TrainerState {
  /** The names of the variables training updates, in the optimizer's order (absent in older checkpoints). */
  trainable?: string[];
  /** The epoch in progress (0-based) and the next batch in it. */
  epoch: number;
  nextBatch: number;
  bestScore: number;
  bestEpoch: number;
  evaluationsWithoutGain: number;
  history: EpochRecord[];
  seconds: number;
  /** Sum of the losses of the epoch in progress so far (its mean is reported at the epoch's end). */
  epochLossSum?: number;
  /** Peak resident memory over every process that worked on this run (a resumed run included). */
  peakRssMiB?: number;
}

export interface EpochRecord {
  epoch: number;
  loss: number;
  seconds: number;
  validation?: Record<string, number>;
}

const STATE_FILE = 'state.json';

/** The file of a checkpoint directory that records where training stands (and that errors name). */
export function checkpointStateFile(dir: string): string {
  return join(dir, STATE_FILE);
}

/** Saves the current weights, the best weights so far, the optimizer's moments and the state. */
export async function writeCheckpoint(
  dir: string,
  current: NamedWeights,
  best: NamedWeights,
  optimizer: NamedWeights,
  state: TrainerState,
): Promise<void> {
  const stub = { config: {}, training: {}, numItems: 0, itemIds: [], metrics: {} };
  const fingerprint = { dataset: '', users: 0, items: 0, events: 0, sequencesHash: '' };
  await saveModel(
    join(dir, 'current'),
    { family: 'checkpoint', ...stub, dataFingerprint: fingerprint },
    current,
  );
  await saveModel(join(dir, 'best'), { family: 'checkpoint', ...stub, dataFingerprint: fingerprint }, best);
  await saveModel(
    join(dir, 'optimizer'),
    { family: 'optimizer', ...stub, dataFingerprint: fingerprint },
    optimizer,
  );
  await writeFile(join(dir, `${STATE_FILE}.tmp`), JSON.stringify(state, null, 2));
  await rename(join(dir, `${STATE_FILE}.tmp`), checkpointStateFile(dir));
}

export async function readCheckpoint(dir: string): Promise<{
  current: NamedWeights;
  best: NamedWeights;
  optimizer: NamedWeights;
  state: TrainerState;
} | null> {
  if (!existsSync(checkpointStateFile(dir))) return null;
  const state = JSON.parse(await readFile(checkpointStateFile(dir), 'utf8')) as TrainerState;
  const [current, best, optimizer] = await Promise.all(
    ['current', 'best', 'optimizer'].map(async (part) => (await loadModel(join(dir, part))).weights),
  );
  return { current, best, optimizer, state };
}
