import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { Event, Item } from '../../core/types.js';
import { generateWorld } from './generate.js';
import { worldSource, writeWorld } from './source.js';

const world = generateWorld({ users: 30, items: 40, topics: 4 });
const dirs: string[] = [];

async function collect<T>(batches: AsyncIterable<T[]>): Promise<T[][]> {
  const out: T[][] = [];
  for await (const batch of batches) out.push(batch);
  return out;
}

async function readJsonLines(path: string): Promise<unknown[]> {
  const text = await readFile(path, 'utf8');
  expect(text.endsWith('\n')).toBe(true);
  return text
    .trimEnd()
    .split('\n')
    .map((line) => JSON.parse(line));
}

afterAll(async () => {
  for (const dir of dirs) await rm(dir, { recursive: true, force: true });
});

describe('worldSource', () => {
  it('describes itself as synthetic, timed and unrated', () => {
    const source = worldSource(world);
    expect(source).toMatchObject({
      name: 'synthetic',
      format: 'synthetic',
      hasTimestamps: true,
      hasRatings: false,
    });
  });

  it('yields all events and items in order, in batches of at most batchSize', async () => {
    const source = worldSource(world, { batchSize: 100 });
    const eventBatches = await collect(source.events());
    expect(eventBatches.length).toBe(Math.ceil(world.events.length / 100));
    expect(eventBatches.every((batch) => batch.length > 0 && batch.length <= 100)).toBe(true);
    expect(eventBatches.flat()).toEqual(world.events);
    expect((await collect(source.items())).flat()).toEqual(world.items);
  });

  it('hands out copies, so a consumer cannot change the world', async () => {
    const [batch] = await collect(worldSource(world).events());
    batch[0].itemId = 'changed';
    batch[0].context!.device = 'changed';
    expect(world.events[0].itemId).not.toBe('changed');
    expect(world.events[0].context?.device).not.toBe('changed');
  });

  it('rejects a batch size that is not a positive integer', () => {
    expect(() => worldSource(world, { batchSize: 0 })).toThrow(/batchSize must be a positive integer/);
  });
});

describe('writeWorld', () => {
  it('writes events.jsonl, items.jsonl and truth.json that read back to the same world', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'tide-world-'));
    dirs.push(dir);
    const files = await writeWorld(world, join(dir, 'nested'));
    expect(files.events).toBe(join(dir, 'nested', 'events.jsonl'));

    const events = (await readJsonLines(files.events)) as Event[];
    expect(events).toEqual(world.events);
    expect(Object.keys(events[0])).toEqual(
      expect.arrayContaining(['userId', 'itemId', 'type', 'timestamp', 'context']),
    );
    expect(typeof events[0].timestamp).toBe('number');
    const items = (await readJsonLines(files.items)) as Item[];
    expect(items).toEqual(world.items);
    expect(Object.keys(items[0])).toEqual(['itemId', 'title', 'text', 'categories', 'attributes']);

    const truth = JSON.parse(await readFile(files.truth, 'utf8'));
    expect(truth.config).toEqual(world.config);
    expect(truth.topics).toEqual(world.topics);
    expect(truth.users).toEqual(world.truth.users);
    expect(truth.contextRule).toEqual(world.truth.contextRule);
  });

  it('replaces earlier files rather than appending to them', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'tide-world-'));
    dirs.push(dir);
    await writeWorld(generateWorld({ users: 60, items: 40, topics: 4 }), dir);
    const files = await writeWorld(world, dir);
    expect(await readJsonLines(files.events)).toHaveLength(world.events.length);
  });
});
