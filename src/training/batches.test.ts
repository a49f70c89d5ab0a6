import { describe, expect, it } from 'vitest';
import { corpusFrom } from '../../test/fixtures/corpus.js';
import { epochBatches, historyBatch, trainableUsers, trainingBatch } from './batches.js';

const options = { maxLength: 3, batchSize: 2, withTimeGaps: false, withTypes: false };

describe('training batches', () => {
  const corpus = corpusFrom([[0, 1, 2, 3, 4], [5, 6], [7]], 8);

  it('uses users with at least two events', () => {
    expect(Array.from(trainableUsers(corpus))).toEqual([0, 1]);
  });

  it('takes each user last maxLength inputs, targets shifted by one, left-padded (ids + 1)', () => {
    const batch = trainingBatch(corpus, Int32Array.from([0, 1]), options);
    expect(batch.length).toBe(3);
    // user 0 [0..4]: inputs items 1,2,3 -> ids 2,3,4; targets items 2,3,4 -> ids 3,4,5
    // user 1 [5, 6]: input item 5 -> id 6, target item 6 -> id 7, right-aligned
    expect(Array.from(batch.inputs)).toEqual([2, 3, 4, 0, 0, 6]);
    expect(Array.from(batch.targets)).toEqual([3, 4, 5, 0, 0, 7]);
  });

  it('shrinks the window to the longest row of the batch', () => {
    const batch = trainingBatch(corpus, Int32Array.from([1]), options);
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
    const batch = trainingBatch(timed, Int32Array.from([0]), { ...options, withTimeGaps: true });
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
