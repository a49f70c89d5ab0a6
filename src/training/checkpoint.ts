import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { readdir, readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { replaceFile, syncFolder } from '../core/durable-file.js';
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
  /** The folder of this state's weights (current/, best/, optimizer/); absent: the checkpoint's own. */
  parts?: string;
  /** What the run trains and on what; a resume with other values is refused, naming them. */
  identity?: Record<string, unknown>;
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

/**
 * Saves the current weights, the best weights so far, the optimizer's moments and the state. The
 * state file is the commit point: the weights go into a folder of their own first, then the state
 * naming that folder replaces the old one in one rename, and only then are older folders removed. A
 * crash at any moment leaves a checkpoint whose state and weights belong together.
 */
export async function writeCheckpoint(
  dir: string,
  current: NamedWeights,
  best: NamedWeights,
  optimizer: NamedWeights,
  state: TrainerState,
): Promise<void> {
  const parts = `parts-${Date.now().toString(36)}-${randomBytes(3).toString('hex')}`;
  const stub = { config: {}, training: {}, numItems: 0, itemIds: [], metrics: {} };
  const dataFingerprint = { dataset: '', users: 0, items: 0, events: 0, sequencesHash: '' };
  const save = (part: string, family: string, weights: NamedWeights) =>
    saveModel(join(dir, parts, part), { family, ...stub, dataFingerprint }, weights);
  await save('current', 'checkpoint', current);
  await save('best', 'checkpoint', best);
  await save('optimizer', 'optimizer', optimizer);
  // the new folders' entries on disk before the state that names them
  for (const part of ['current', 'best', 'optimizer']) await syncFolder(join(dir, parts, part));
  await syncFolder(join(dir, parts));
  await syncFolder(dir);
  await replaceFile(checkpointStateFile(dir), JSON.stringify({ ...state, parts }, null, 2));
  for (const name of await readdir(dir)) {
    const stale =
      (name.startsWith('parts-') && name !== parts) || ['current', 'best', 'optimizer'].includes(name);
    if (stale) await rm(join(dir, name), { recursive: true, force: true });
  }
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
    ['current', 'best', 'optimizer'].map(
      async (part) => (await loadModel(join(dir, state.parts ?? '', part))).weights,
    ),
  );
  return { current, best, optimizer, state };
}

/** True when `dir` is a checkpoint folder (its state file is there). */
export function isCheckpoint(dir: string): boolean {
  return existsSync(checkpointStateFile(dir));
}
