import { describe, expect, it } from 'vitest';
import { corpusFrom } from '../../test/fixtures/corpus.js';
import {
  batchTargets,
  epochBatches,
  epochTargets,
  historyBatch,
  trainingBatch,
  trainingWindows,
  windowIds,
} from './batches.js';

const options = { maxLength: 3, batchSize: 2, withTimeGaps: false, withTypes: false };

describe('training batches', () => {
  const corpus = corpusFrom([[0, 1, 2, 3, 4], [5, 6], [7]], 8);

  const last = trainingWindows(corpus, 3, 'last');

  it('last: one window per user with at least two events, ending with the history', () => {
    expect(Array.from(last.users)).toEqual([0, 1]);
    expect(Array.from(last.ends)).toEqual([5, 7]);
  });

  it('all: windows cut from the end make every event but a first one a target exactly once', () => {
    const long = corpusFrom([[0, 1, 2, 3, 4, 5, 6, 7], [1, 2], [3]], 8);
    const windows = trainingWindows(long, 3, 'all');
    expect(Array.from(windows.users)).toEqual([0, 0, 0, 1]);
    const batch = trainingBatch(long, windows, windowIds(windows), options);
    const targets = Array.from(batch.targets).filter((t) => t > 0);
    // user 0 predicts items 1..7 (ids 2..8), user 1 predicts item 2 (id 3)
    expect(targets.sort((a, b) => a - b)).toEqual([2, 3, 3, 4, 5, 6, 7, 8]);
    // the earliest window of user 0 holds one target: item 1 after item 0, right-aligned
    expect(Array.from(batch.inputs.subarray(6, 9))).toEqual([0, 0, 1]);
    expect(Array.from(batch.targets.subarray(6, 9))).toEqual([0, 0, 2]);
  });

  it('counts the targets of an epoch and of each batch alike: the batches sum to the epoch', () => {
    const long = corpusFrom([[0, 1, 2, 3, 4, 5, 6, 7], [1, 2], [3], [4, 5, 6]], 8);
    const windows = trainingWindows(long, 3, 'all');
    // user 0: 7 targets, user 1: 1, user 3: 2; user 2 has none
    expect(epochTargets(long, windows, 3)).toBe(10);
    const batches = epochBatches(windowIds(windows), 2, 1, 0);
    const counted = batches.map((ids) => batchTargets(trainingBatch(long, windows, ids, options)));
    expect(counted.reduce((a, b) => a + b, 0)).toBe(10);
  });

  it('takes each user last maxLength inputs, targets shifted by one, left-padded (ids + 1)', () => {
    const batch = trainingBatch(corpus, last, Int32Array.from([0, 1]), options);
    expect(batch.length).toBe(3);
    // user 0 [0..4]: inputs items 1,2,3 -> ids 2,3,4; targets items 2,3,4 -> ids 3,4,5
    // user 1 [5, 6]: input item 5 -> id 6, target item 6 -> id 7, right-aligned
    expect(Array.from(batch.inputs)).toEqual([2, 3, 4, 0, 0, 6]);
    expect(Array.from(batch.targets)).toEqual([3, 4, 5, 0, 0, 7]);
  });

  it('shrinks the window to the longest row of the batch', () => {
    const batch = trainingBatch(corpus, last, Int32Array.from([1]), options);
    expect(batch.length).toBe(1);
    expect(Array.from(batch.inputs)).toEqual([6]);
    expect(Array.from(batch.targets)).toEqual([7]);
  });

  it('history batches end each row with the last history event and carry no targets', () => {
    const batch = historyBatch(
      corpus,
      [
        { start: 0, end: 4 },
        { start: 5, end: 6 },
      ],
      options,
    );
    expect(Array.from(batch.inputs)).toEqual([2, 3, 4, 0, 0, 6]);
    expect(batch.targets.every((t) => t === 0)).toBe(true);
  });

  it('orders users differently per epoch, reproducibly per seed', () => {
    const users = Int32Array.from({ length: 50 }, (_, i) => i);
    const a = epochBatches(users, 16, 1, 0).map((b) => Array.from(b));
    expect(epochBatches(users, 16, 1, 0).map((b) => Array.from(b))).toEqual(a);
    expect(epochBatches(users, 16, 1, 1).map((b) => Array.from(b))).not.toEqual(a);
    expect(a.flat().sort((x, y) => x - y)).toEqual(Array.from(users));
    expect(a.map((b) => b.length)).toEqual([16, 16, 16, 2]);
  });

  it('time gaps are log1p(seconds since the previous event), 0 at the first event', () => {
    const timed = { ...corpusFrom([[0, 1, 2]], 3), timestamps: Float64Array.from([0, 1000, 11000]) };
    const windows = trainingWindows(timed, 3, 'last');
    const batch = trainingBatch(timed, windows, Int32Array.from([0]), { ...options, withTimeGaps: true });
    expect(Array.from(batch.timeGaps ?? [])).toEqual([0, Math.fround(Math.log1p(1))]);
  });
});

describe('length bucketing', () => {
  it('puts users of similar length together, still covering every user once, differently per epoch', () => {
    const users = Int32Array.from({ length: 400 }, (_, i) => i);
    const length = (u: number) => 2 + ((u * 37) % 200);
    const batches = epochBatches(users, 40, 3, 0, length);
    expect(batches.flatMap((b) => Array.from(b)).sort((a, b) => a - b)).toEqual(Array.from(users));
    const spread = (b: Int32Array) => Math.max(...Array.from(b, length)) - Math.min(...Array.from(b, length));
    const meanSpread = batches.reduce((s, b) => s + spread(b), 0) / batches.length;
    expect(meanSpread).toBeLessThan(80);
    expect(epochBatches(users, 40, 3, 1, length).map((b) => Array.from(b))).not.toEqual(
      batches.map((b) => Array.from(b)),
    );
  });
});
