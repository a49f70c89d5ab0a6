import { describe, expect, it } from 'vitest';
import type { Event } from '../core/types.js';
import { loadDataset } from './dataset.js';
import { memorySource } from './memory-source.js';
import { PreprocessConfig } from './preprocess.js';
import { replayCases } from './replay.js';
import { leaveOneOut, temporalSplit } from './split.js';

async function timedCorpus() {
  // user -> [item, time]
  const log: Record<string, [number, number][]> = {
    a: [
      [1, 10],
      [2, 20],
      [3, 35],
      [4, 50],
    ],
    b: [
      [5, 12],
      [6, 31],
      [7, 40],
    ],
    c: [
      [8, 15],
      [9, 45],
    ],
  };
  const events: Event[] = Object.entries(log).flatMap(([userId, rows]) =>
    rows.map(([item, timestamp]) => ({ userId, itemId: `i${item}`, type: 'view' as const, timestamp })),
  );
  return loadDataset(memorySource(events), {
    preprocess: PreprocessConfig.parse({ minItemEvents: 1, minUserEvents: 1 }),
  });
}

describe('replayCases', () => {
  it('visits temporal cases in time order, each after every event from the cut up to its time', async () => {
    const data = await timedCorpus();
    const cases = temporalSplit(data, { testFrom: 30 }).cases('test');
    const seen: number[] = [];
    const visits: { target: string; seenBefore: number[] }[] = [];
    replayCases(
      cases,
      data,
      (_, time) => seen.push(time),
      (kase) => visits.push({ target: data.itemIds.idOf(kase.target), seenBefore: [...seen] }),
    );
    // b's i6 at 31, then a's i3 at 35, then c's i9 at 45; the events seen are those in [30, its time)
    expect(visits).toEqual([
      { target: 'i6', seenBefore: [] },
      { target: 'i3', seenBefore: [31] },
      { target: 'i9', seenBefore: [31, 35, 40] },
    ]);
  });

  it('visits leave-one-out cases in their order and observes nothing', async () => {
    const data = await timedCorpus();
    const cases = leaveOneOut(data).cases('test');
    const visited: number[] = [];
    replayCases(
      cases,
      data,
      () => expect.unreachable('no event is replayed'),
      (kase) => visited.push(kase.user),
    );
    expect(visited).toEqual(cases.map((kase) => kase.user));
  });
});
