import { Rng } from '../core/random.js';
import type { SequenceCorpus } from '../data/corpus.js';
import { timeGapFeature } from '../models/neural/features.js';
import type { SequenceBatch } from '../models/neural/network.js';
import type { TrainConfig } from './config.js';

export interface BatchOptions {
  maxLength: number;
  batchSize: number;
  withTimeGaps: boolean;
  withTypes: boolean;
}

/**
 * The stretches of history a training epoch learns from. Window w belongs to `users[w]` and its
 * targets are the corpus positions up to (not including) `ends[w]`: at most maxLength of them, each
 * predicted from the events before it.
 */
export interface TrainingWindows {
  users: Int32Array;
  ends: Int32Array;
}

/**
 * `last`: one window per user with at least two events, over the end of the history (the last
 * maxLength targets) — what SASRec's reference code trains on. `all`: the whole history cut from the
 * end into consecutive windows of maxLength targets, so every event is a target once per epoch; on
 * ML-1M the last windows alone leave a third of the events (those of the quarter of users with over
 * 200) never predicted.
 */
export type WindowCoverage = TrainConfig['windows'];

export function trainingWindows(
  corpus: SequenceCorpus,
  maxLength: number,
  coverage: WindowCoverage,
): TrainingWindows {
  const users: number[] = [];
  const ends: number[] = [];
  for (let u = 0; u < corpus.nUsers; u++) {
    const start = corpus.offsets[u];
    for (let end = corpus.offsets[u + 1]; end - start >= 2; end -= maxLength) {
      users.push(u);
      ends.push(end);
      if (coverage === 'last') break;
    }
  }
  return { users: Int32Array.from(users), ends: Int32Array.from(ends) };
}

/** How many targets window w holds (before any cut to a batch's length). */
export function windowLength(
  corpus: SequenceCorpus,
  windows: TrainingWindows,
  w: number,
  maxLength: number,
): number {
  return Math.min(maxLength, windows.ends[w] - corpus.offsets[windows.users[w]] - 1);
}

/** Targets one epoch holds over all its windows. */
export function epochTargets(corpus: SequenceCorpus, windows: TrainingWindows, maxLength: number): number {
  let total = 0;
  for (let w = 0; w < windows.users.length; w++) total += windowLength(corpus, windows, w, maxLength);
  return total;
}

/** Targets in a batch (positions that are not padding). */
export function batchTargets(batch: SequenceBatch): number {
  let count = 0;
  for (const target of batch.targets) if (target > 0) count++;
  return count;
}

/**
 * The ids of one epoch (users, windows) cut into batches, in a seeded random order. With `lengths`,
 * ids are bucketed by (jittered) length first, so a batch holds histories of similar length and
 * its padded window is short: attention costs grow with the window squared. The jitter (+-15%)
 * and the shuffled batch order change from epoch to epoch.
 */
export function epochBatches(
  ids: Int32Array,
  batchSize: number,
  seed: number,
  epoch: number,
  lengths?: (id: number) => number,
): Int32Array[] {
  const rng = new Rng((seed ^ Math.imul(epoch + 1, 0x9e3779b1)) >>> 0);
  let order = rng.shuffle(Array.from(ids));
  if (lengths) {
    const key = new Map(order.map((u) => [u, lengths(u) * (0.85 + 0.3 * rng.next())]));
    order = order.sort((a, b) => key.get(a)! - key.get(b)!);
  }
  const batches: Int32Array[] = [];
  for (let b = 0; b < order.length; b += batchSize)
    batches.push(Int32Array.from(order.slice(b, b + batchSize)));
  return lengths ? rng.shuffle(batches) : batches;
}

/** 0 .. count-1, the ids `epochBatches` shuffles when they index windows. */
export function windowIds(windows: TrainingWindows): Int32Array {
  return Int32Array.from(windows.users, (_, w) => w);
}

/**
 * A training batch from the windows `ids`: for each, its targets (at most maxLength) and the event
 * before each as input, left-padded to the longest row of the batch.
 */
export function trainingBatch(
  corpus: SequenceCorpus,
  windows: TrainingWindows,
  ids: Int32Array,
  options: BatchOptions,
): SequenceBatch {
  let length = 1;
  for (const w of ids) length = Math.max(length, windowLength(corpus, windows, w, options.maxLength));
  const batch = emptyBatch(ids.length, length, corpus, options);
  ids.forEach((w, row) => {
    const userStart = corpus.offsets[windows.users[w]];
    const end = windows.ends[w];
    const count = Math.min(length, end - userStart - 1);
    fillRow(corpus, batch, row, { userStart, from: end - 1 - count, count }, 1);
  });
  return batch;
}

/**
 * An inference batch: for each history (a range of corpus positions starting at the user's first
 * event) its last maxLength events as inputs, no targets; the last position of every row is the
 * user's state after the history.
 */
export function historyBatch(
  corpus: SequenceCorpus,
  ranges: readonly { start: number; end: number }[],
  options: BatchOptions,
): SequenceBatch {
  let length = 1;
  for (const r of ranges) length = Math.max(length, Math.min(options.maxLength, r.end - r.start));
  const batch = emptyBatch(ranges.length, length, corpus, options);
  ranges.forEach((r, row) => {
    const count = Math.min(length, r.end - r.start);
    fillRow(corpus, batch, row, { userStart: r.start, from: r.end - count, count }, 0);
  });
  return batch;
}

function emptyBatch(
  rows: number,
  length: number,
  corpus: SequenceCorpus,
  options: BatchOptions,
): SequenceBatch {
  return {
    batchSize: rows,
    length,
    inputs: new Int32Array(rows * length),
    targets: new Int32Array(rows * length),
    timeGaps: options.withTimeGaps && corpus.timestamps ? new Float32Array(rows * length) : null,
    types: options.withTypes ? new Int32Array(rows * length) : null,
  };
}

/**
 * Writes `count` inputs starting at corpus position `from`, right-aligned in the row; targets are
 * the events `targetShift` later. `userStart` is the user's first position (it has no time gap).
 */
function fillRow(
  corpus: SequenceCorpus,
  batch: SequenceBatch,
  row: number,
  span: { userStart: number; from: number; count: number },
  targetShift: number,
): void {
  const base = row * batch.length + (batch.length - span.count);
  const ts = corpus.timestamps;
  for (let k = 0; k < span.count; k++) {
    const p = span.from + k;
    batch.inputs[base + k] = corpus.items[p] + 1;
    if (targetShift) batch.targets[base + k] = corpus.items[p + targetShift] + 1;
    if (batch.types) batch.types[base + k] = corpus.types[p] + 1;
    if (batch.timeGaps && ts && p > span.userStart)
      batch.timeGaps[base + k] = timeGapFeature(ts[p - 1], ts[p]);
  }
}
