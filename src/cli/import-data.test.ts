import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { silentProgress } from '../core/progress.js';
import { generateWorld, writeWorld } from '../data/synthetic/index.js';
import { openStore } from '../storage/open.js';
import type { LoggedEvent, Store } from '../storage/ports.js';
import { importData } from './import-data.js';

async function wholeLog(store: Store): Promise<LoggedEvent[]> {
  return store.events.scan(0, 1_000_000);
}

/** The store as a crash leaves it: appends after the first `batches` fail, as if the process died. */
function dyingAfter(store: Store, batches: number): Store {
  let left = batches;
  const append: Store['events']['append'] = (events, options) => {
    if (left-- <= 0) return Promise.reject(new Error('killed'));
    return store.events.append(events, options);
  };
  return { ...store, events: Object.assign(Object.create(store.events), { append }) };
}

describe('importData', () => {
  it('resumes an import cut short: the log ends as an uninterrupted import leaves it, each event once', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'tide-import-'));
    await writeWorld(generateWorld({ users: 600, items: 160, seed: 3 }), join(dir, 'world'));
    const lines: string[] = [];
    const log = (line: string) => void lines.push(line);

    const whole = await openStore(`sqlite://${join(dir, 'whole.db')}`);
    await importData(whole, join(dir, 'world'), undefined, silentProgress, log);
    const expected = await wholeLog(whole);
    await whole.close();
    expect(expected.length).toBeGreaterThan(10_000);

    const path = join(dir, 'cut.db');
    const first = await openStore(`sqlite://${path}`);
    await expect(
      importData(dyingAfter(first, 2), join(dir, 'world'), undefined, silentProgress, log),
    ).rejects.toThrow('killed');
    const partial = (await wholeLog(first)).length;
    expect(partial).toBeGreaterThan(0);
    expect(partial).toBeLessThan(expected.length);
    await first.close();

    const again = await openStore(`sqlite://${path}`);
    await importData(again, join(dir, 'world'), undefined, silentProgress, log);
    const resumed = await wholeLog(again);
    // the same events at the same sequence numbers
    expect(resumed).toEqual(expected);
    expect(lines.at(-1)).toContain(`(${partial} of them were in from an interrupted import)`);

    // complete now: a later start imports nothing, and says why
    await importData(again, join(dir, 'world'), undefined, silentProgress, log);
    expect(await again.events.count()).toBe(expected.length);
    expect(lines.at(-1)).toMatch(/are in the log already/);
    await again.close();
  }, 120_000);

  it('imports no events into a log that holds events of its own', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'tide-import-'));
    await writeWorld(generateWorld({ users: 50, items: 40, seed: 3 }), join(dir, 'world'));
    const store = await openStore('memory://');
    await store.events.append([{ userId: 'live', itemId: 'i0001', type: 'view' }]);
    const lines: string[] = [];
    await importData(store, join(dir, 'world'), undefined, silentProgress, (line) => void lines.push(line));
    expect(await store.events.count()).toBe(1);
    expect(lines).toEqual([expect.stringMatching(/the log already holds 1 events, so none were imported/)]);
    await store.close();
  });
});
