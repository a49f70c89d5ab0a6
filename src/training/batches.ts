import { Rng } from '../core/random.js';
import type { SequenceCorpus } from '../data/corpus.js';
import { timeGapFeature } from '../models/neural/features.js';
import type { SequenceBatch } from '../models/neural/network.js';

export interface BatchOptions {
  maxLength: number;
  batchSize: number;
  withTimeGaps: boolean;
  withTypes: boolean;
}

/** Users with at least two events: they give at least one (input, next item) pair. */
export function trainableUsers(corpus: SequenceCorpus): Int32Array {
  const users: number[] = [];
  for (let u = 0; u < corpus.nUsers; u++) if (corpus.offsets[u + 1] - corpus.offsets[u] >= 2) users.push(u);
  return Int32Array.from(users);
}

/**
 * The users of one epoch cut into batches, in a seeded random order. With `lengths`, users are
 * bucketed by (jittered) history length first, so a batch holds histories of similar length and
 * its padded window is short: attention costs grow with the window squared. The jitter (+-15%)
 * and the shuffled batch order change from epoch to epoch.
 */
export function epochBatches(
  users: Int32Array,
  batchSize: number,
  seed: number,
  epoch: number,
  lengths?: (user: number) => number,
): Int32Array[] {
  const rng = new Rng((seed ^ Math.imul(epoch + 1, 0x9e3779b1)) >>> 0);
  let order = rng.shuffle(Array.from(users));
  if (lengths) {
    const key = new Map(order.map((u) => [u, lengths(u) * (0.85 + 0.3 * rng.next())]));
    order = order.sort((a, b) => key.get(a)! - key.get(b)!);
  }
  const batches: Int32Array[] = [];
  for (let b = 0; b < order.length; b += batchSize)
    batches.push(Int32Array.from(order.slice(b, b + batchSize)));
  return lengths ? rng.shuffle(batches) : batches;
}

/**
 * A training batch: for each user the last maxLength + 1 events, inputs = all but the last,
 * targets = all but the first (each position predicts the next item), left-padded to the longest
 * row of the batch.
 */
export function trainingBatch(
  corpus: SequenceCorpus,
  users: Int32Array,
  options: BatchOptions,
): SequenceBatch {
  let length = 1;
  for (const u of users) length = Math.max(length, Math.min(options.maxLength, userLength(corpus, u) - 1));
  const batch = emptyBatch(users.length, length, corpus, options);
  users.forEach((u, row) => {
    const end = corpus.offsets[u + 1];
    const count = Math.min(length, end - corpus.offsets[u] - 1);
    fillRow(corpus, batch, row, { userStart: corpus.offsets[u], from: end - 1 - count, count }, 1);
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

function userLength(corpus: SequenceCorpus, u: number): number {
  return corpus.offsets[u + 1] - corpus.offsets[u];
}
