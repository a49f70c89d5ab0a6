import { describe, expect, it } from 'vitest';
import type { Event } from '../core/types.js';
import { userItems } from './corpus.js';
import { loadDataset } from './dataset.js';
import { memorySource } from './memory-source.js';
import { PreprocessConfig } from './preprocess.js';
import { leaveOneOut, temporalSplit, temporalSplitWithLooValidation, timeAtFraction } from './split.js';

const preprocess = PreprocessConfig.parse({ minItemEvents: 1, minUserEvents: 1 });

async function corpusOf(sequences: Record<string, number[]>, times?: Record<string, number[]>) {
  const events: Event[] = [];
  for (const [userId, items] of Object.entries(sequences)) {
    for (const [k, item] of items.entries()) {
      events.push({
        userId,
        itemId: `i${item}`,
        type: 'view',
        timestamp: times ? times[userId][k] : undefined,
      });
    }
  }
  return loadDataset(memorySource(events), { preprocess });
}

const ids = (data: Awaited<ReturnType<typeof corpusOf>>, items: ArrayLike<number>) =>
  Array.from(items, (i) => data.itemIds.idOf(i));

describe('leave-one-out', () => {
  it('holds out the last two events; users with < 4 events are training only', async () => {
    const data = await corpusOf({ long: [1, 2, 3, 4, 5], short: [6, 7, 8] });
    const split = leaveOneOut(data);
    const [test] = split.cases('test');
    expect(split.cases('test')).toHaveLength(1);
    expect(ids(data, test.history)).toEqual(['i1', 'i2', 'i3', 'i4']);
    expect(data.itemIds.idOf(test.target)).toBe('i5');
    const [valid] = split.cases('valid');
    expect(ids(data, valid.history)).toEqual(['i1', 'i2', 'i3']);
    expect(data.itemIds.idOf(valid.target)).toBe('i4');
  });

  it('fits on train + valid for the test stage and on train for the valid stage', async () => {
    const data = await corpusOf({ long: [1, 2, 3, 4, 5], short: [6, 7, 8] });
    const split = leaveOneOut(data);
    const forTest = split.fitCorpus('test');
    expect(ids(data, userItems(forTest, 0))).toEqual(['i1', 'i2', 'i3', 'i4']);
    expect(ids(data, userItems(forTest, 1))).toEqual(['i6', 'i7', 'i8']);
    expect(ids(data, userItems(split.fitCorpus('valid'), 0))).toEqual(['i1', 'i2', 'i3']);
  });

  it('keeps a repeated target in the history (it is never removed from ranking)', async () => {
    const data = await corpusOf({ a: [1, 2, 1, 3, 1] });
    const [test] = leaveOneOut(data).cases('test');
    expect(ids(data, test.relevant)).toEqual(['i1']);
    expect(Array.from(test.history)).toContain(test.target);
  });
});

describe('temporal split', () => {
  it('cuts all users at one time; the target is the first event after it', async () => {
    const data = await corpusOf(
      { a: [1, 2, 3, 4], b: [5, 6], c: [7, 8] },
      { a: [10, 20, 30, 40], b: [5, 50], c: [60, 70] },
    );
    const split = temporalSplit(data, { testFrom: 25, validFrom: 15 });
    const test = split.cases('test');
    // c has no history before the cut; a and b do
    expect(test.map((k) => data.userIds.idOf(k.user))).toEqual(['a', 'b']);
    expect(ids(data, test[0].history)).toEqual(['i1', 'i2']);
    expect(data.itemIds.idOf(test[0].target)).toBe('i3');
    expect(ids(data, test[0].relevant).sort()).toEqual(['i3', 'i4']);
    const valid = split.cases('valid');
    expect(valid.map((k) => data.userIds.idOf(k.user))).toEqual(['a']);
    expect(ids(data, valid[0].relevant)).toEqual(['i2']);
    expect(split.fitCorpus('test').items.length).toBe(3);
  });

  it('spreads validation cases over several cuts, each case with its cut as origin', async () => {
    const data = await corpusOf({ a: [1, 2, 3, 4], b: [5, 6, 7] }, { a: [10, 16, 21, 40], b: [5, 22, 50] });
    const split = temporalSplit(data, { testFrom: 25, validFrom: 15, validOrigins: 2 });
    const valid = split.cases('valid');
    // cut 15: a's first event after it is i2, b's i6; cut 20: a's is i3, b's still i6
    expect(valid.map((k) => [data.userIds.idOf(k.user), data.itemIds.idOf(k.target), k.origin])).toEqual([
      ['a', 'i2', 15],
      ['b', 'i6', 15],
      ['a', 'i3', 20],
      ['b', 'i6', 20],
    ]);
    expect(ids(data, valid[2].history)).toEqual(['i1', 'i2']);
    expect(split.cases('test').map((k) => k.origin)).toEqual([25, 25]);
  });

  it('with every event of the slice as validation: each predicted from all before it, at its own time', async () => {
    const data = await corpusOf(
      { a: [1, 2, 3, 4], b: [5, 6, 7], c: [8] },
      { a: [10, 16, 21, 40], b: [15, 22, 50], c: [18] },
    );
    const split = temporalSplit(data, { testFrom: 25, validFrom: 15, validEveryEvent: true });
    const valid = split.cases('valid');
    // b's first event (at 15) and c's only one have nothing before them: no case
    expect(valid.map((k) => [data.userIds.idOf(k.user), data.itemIds.idOf(k.target), k.origin])).toEqual([
      ['a', 'i2', 16],
      ['a', 'i3', 21],
      ['b', 'i6', 22],
    ]);
    expect(ids(data, valid[1].history)).toEqual(['i1', 'i2']);
    expect(ids(data, valid[1].relevant)).toEqual(['i3']);
    expect(split.description).toContain('every event');
    // the model learns from the events before the slice (a's first), as with cuts
    expect(split.fitCorpus('valid').items.length).toBe(1);
  });

  it("with leave-one-out validation: holds out each user's last two events before the cut, tests after it", async () => {
    const data = await corpusOf(
      { a: [1, 2, 3, 4, 5, 6], b: [7, 8, 9], c: [10, 11, 12, 13, 14] },
      { a: [10, 11, 12, 13, 14, 40], b: [1, 2, 50], c: [20, 21, 22, 23, 24] },
    );
    const split = temporalSplitWithLooValidation(data, 30);
    // test: the first event after the cut of each user with history before it (a, b)
    expect(split.cases('test').map((k) => [data.userIds.idOf(k.user), data.itemIds.idOf(k.target)])).toEqual([
      ['a', 'i6'],
      ['b', 'i9'],
    ]);
    // valid: the second last event before the cut of users with >= 4 events before it (a, c)
    const valid = split.cases('valid');
    expect(valid.map((k) => [data.userIds.idOf(k.user), data.itemIds.idOf(k.target)])).toEqual([
      ['a', 'i4'],
      ['c', 'i13'],
    ]);
    // the cases index the full corpus: the history's positions hold its items and times
    const c = valid[1];
    expect(ids(data, data.items.subarray(c.historyStart, c.historyEnd))).toEqual(['i10', 'i11', 'i12']);
    expect(Array.from(data.timestamps?.subarray(c.historyStart, c.historyEnd) ?? [])).toEqual([20, 21, 22]);
    expect(ids(data, userItems(split.fitCorpus('valid'), 0))).toEqual(['i1', 'i2', 'i3']);
    expect(ids(data, userItems(split.fitCorpus('test'), 0))).toEqual(['i1', 'i2', 'i3', 'i4', 'i5']);
  });

  it('refuses data without timestamps, and picks cut times by event fraction', async () => {
    const untimed = await corpusOf({ a: [1, 2, 3] });
    expect(() => temporalSplit(untimed, { testFrom: 0 })).toThrow(/needs timestamps/);
    const timed = await corpusOf({ a: [1, 2, 3, 4] }, { a: [10, 20, 30, 40] });
    expect(timeAtFraction(timed, 0.5)).toBe(20);
    expect(() => timeAtFraction(timed, 1)).toThrow(/fraction/);
  });
});
