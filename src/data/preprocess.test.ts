import { describe, expect, it } from 'vitest';
import type { Event } from '../core/types.js';
import { userItems } from './corpus.js';
import { loadDataset } from './dataset.js';
import { memorySource } from './memory-source.js';
import { PreprocessConfig } from './preprocess.js';

const noCore = PreprocessConfig.parse({ minItemEvents: 1, minUserEvents: 1 });
const view = (userId: string, itemId: string, timestamp?: number): Event => ({
  userId,
  itemId,
  type: 'view',
  timestamp,
});

async function load(events: Event[], config: Partial<PreprocessConfig> = {}) {
  return loadDataset(memorySource(events), { preprocess: { ...noCore, ...config } });
}

function sequences(data: Awaited<ReturnType<typeof load>>): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  for (let u = 0; u < data.nUsers; u++) {
    out[data.userIds.idOf(u)] = Array.from(userItems(data, u), (i) => data.itemIds.idOf(i));
  }
  return out;
}

describe('preprocessing', () => {
  it('orders each user by time, keeping arrival order on ties (stable)', async () => {
    const data = await load([view('a', 'x', 30), view('a', 'y', 10), view('a', 'z', 10), view('a', 'w', 20)]);
    expect(sequences(data).a).toEqual(['y', 'z', 'w', 'x']);
    expect(Array.from(data.timestamps ?? [])).toEqual([10, 10, 20, 30]);
  });

  it('keeps arrival order for a user with an event lacking a timestamp', async () => {
    const data = await load([view('a', 'x', 30), view('a', 'y'), view('a', 'z', 10)]);
    expect(sequences(data).a).toEqual(['x', 'y', 'z']);
  });

  it('numbers users by first arrival and items by first use in the ordered output', async () => {
    const data = await load([view('b', 'q', 5), view('a', 'p', 9), view('a', 'r', 1)]);
    expect(data.userIds.ids()).toEqual(['b', 'a']);
    expect(data.itemIds.ids()).toEqual(['q', 'r', 'p']);
  });

  it('applies each duplicate policy', async () => {
    const events = ['x', 'x', 'y', 'x', 'y', 'y'].map((item, t) => view('a', item, t));
    expect(sequences(await load(events, { duplicates: 'keep' })).a).toEqual(['x', 'x', 'y', 'x', 'y', 'y']);
    expect(sequences(await load(events, { duplicates: 'first' })).a).toEqual(['x', 'y']);
    expect(sequences(await load(events, { duplicates: 'last' })).a).toEqual(['x', 'y']);
    expect(sequences(await load(events, { duplicates: 'collapse-consecutive' })).a).toEqual([
      'x',
      'y',
      'x',
      'y',
    ]);
    const report = (await load(events, { duplicates: 'first' })).report;
    expect(report.duplicatesRemoved).toBe(4);
  });

  it('drops rare items, then short users, in one pass as SASRec does', async () => {
    // item r has 1 event; after dropping it user c has 1 event left and goes too.
    // Dropping c makes item q rare, but a single pass keeps it.
    const events = [
      ...['p', 'q'].flatMap((i) => [view('a', i), view('b', i)]),
      view('c', 'q'),
      view('c', 'r'),
    ];
    const single = await load(events, { minItemEvents: 2, minUserEvents: 2 });
    expect(sequences(single)).toEqual({ a: ['p', 'q'], b: ['p', 'q'] });
    expect(single.report.itemsRemoved).toBe(1);
    expect(single.report.usersRemoved).toBe(1);

    const stricter = await load(events, { minItemEvents: 3, minUserEvents: 2 });
    expect(stricter.nUsers).toBe(0);
    const iterative = await load([...events, view('d', 'p')], {
      minItemEvents: 3,
      minUserEvents: 2,
      iterativeCore: true,
    });
    // p has 3 events, q 3; r dropped -> c has 1 -> dropped -> q has 2 -> dropped -> a, b, d have < 2 -> all gone
    expect(iterative.nUsers).toBe(0);
    const once = await load([...events, view('d', 'p')], { minItemEvents: 3, minUserEvents: 2 });
    expect(sequences(once)).toEqual({ a: ['p', 'q'], b: ['p', 'q'] });
  });

  it('keeps the catalogue, including items without events', async () => {
    const source = memorySource(
      [view('a', 'x', 1)],
      [
        { itemId: 'x', title: 'X' },
        { itemId: 'cold', title: 'Cold' },
      ],
    );
    const data = await loadDataset(source, { preprocess: noCore });
    expect(data.catalog.get('cold')?.title).toBe('Cold');
    expect(data.nItems).toBe(1);
  });
});
