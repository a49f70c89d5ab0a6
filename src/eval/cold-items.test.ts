import { describe, expect, it } from 'vitest';
import { worldDataset } from '../../test/fixtures/world.js';
import { leaveOneOut } from '../data/split.js';
import { pickColdItems, withColdItems, withoutItems } from './cold-items.js';

describe('the cold-items protocol', () => {
  it('holds out a seeded share of the items', () => {
    const a = pickColdItems(200, 0.1, 1);
    expect(a.items).toHaveLength(20);
    expect(new Set(a.items).size).toBe(20);
    expect(Array.from(a.items)).toEqual([...a.items].sort((x, y) => x - y));
    expect(Array.from(pickColdItems(200, 0.1, 1).items)).toEqual(Array.from(a.items));
    expect(Array.from(pickColdItems(200, 0.1, 2).items)).not.toEqual(Array.from(a.items));
    expect(a.isHeldOut.reduce((s, v) => s + v, 0)).toBe(20);
  });

  it('removes every event on a held-out item from the fit corpus, keeping the rest in order', async () => {
    const data = await worldDataset();
    const cold = pickColdItems(data.nItems, 0.2, 3);
    const corpus = withoutItems(data, cold);
    expect(corpus.items.some((item) => cold.isHeldOut[item])).toBe(false);
    for (const u of [0, 17, 123]) {
      const before = Array.from(data.items.subarray(data.offsets[u], data.offsets[u + 1]));
      const after = Array.from(corpus.items.subarray(corpus.offsets[u], corpus.offsets[u + 1]));
      expect(after).toEqual(before.filter((item) => !cold.isHeldOut[item]));
      const times = Array.from(corpus.timestamps!.subarray(corpus.offsets[u], corpus.offsets[u + 1]));
      expect(times).toEqual([...times].sort((x, y) => x - y));
    }
  });

  it('keeps the test cases and drops validation cases whose target is held out', async () => {
    const data = await worldDataset();
    const split = leaveOneOut(data);
    const cold = pickColdItems(data.nItems, 0.2, 3);
    const coldSplit = withColdItems(split, cold);
    expect(coldSplit.cases('test')).toEqual(split.cases('test'));
    expect(coldSplit.cases('test').some((c) => cold.isHeldOut[c.target])).toBe(true);
    expect(coldSplit.cases('valid').some((c) => cold.isHeldOut[c.target])).toBe(false);
    expect(coldSplit.fitCorpus('test').items.some((item) => cold.isHeldOut[item])).toBe(false);
  });
});
