import { mkdir, open } from 'node:fs/promises';
import { join } from 'node:path';
import { TideError } from '../../core/errors.js';
import type { Event, Item } from '../../core/types.js';
import type { DataSource } from '../source.js';
import type { World } from './world.js';

const DEFAULT_BATCH_SIZE = 1000;

export interface WorldSourceOptions {
  /** Events or items per yielded batch. */
  readonly batchSize?: number;
}

/**
 * The world as a DataSource (`name` and `format` 'synthetic', with timestamps, without ratings).
 * Events come in global time order; each batch holds copies, so consumers may change them.
 *
 * @example
 * const source = worldSource(generateWorld());
 * for await (const batch of source.events()) console.log(batch.length);
 */
export function worldSource(world: World, options: WorldSourceOptions = {}): DataSource {
  const batchSize = options.batchSize ?? DEFAULT_BATCH_SIZE;
  if (!Number.isInteger(batchSize) || batchSize < 1) {
    throw new TideError(
      'INVALID_INPUT',
      `worldSource: batchSize must be a positive integer, got ${batchSize}`,
    );
  }
  return {
    name: 'synthetic',
    format: 'synthetic',
    hasTimestamps: true,
    hasRatings: false,
    events: () => batches(world.events, batchSize, copyEvent),
    items: () => batches(world.items, batchSize, copyItem),
  };
}

async function* batches<T>(rows: readonly T[], batchSize: number, copy: (row: T) => T): AsyncIterable<T[]> {
  for (let start = 0; start < rows.length; start += batchSize) {
    yield rows.slice(start, start + batchSize).map(copy);
  }
}

function copyEvent(event: Event): Event {
  return event.context === undefined ? { ...event } : { ...event, context: { ...event.context } };
}

function copyItem(item: Item): Item {
  return {
    ...item,
    categories: item.categories?.slice(),
    attributes: item.attributes === undefined ? undefined : { ...item.attributes },
  };
}

/** Paths of the files `writeWorld` wrote. */
export interface WorldFiles {
  readonly events: string;
  readonly items: string;
  readonly truth: string;
}

/**
 * Writes `events.jsonl` (userId, itemId, type, value?, timestamp in ms, context), `items.jsonl`
 * (itemId, title, text, categories, attributes) and `truth.json` (config, topics and ground truth)
 * into `dir`, creating it when needed and replacing files of those names.
 *
 * @example
 * const files = await writeWorld(generateWorld(), './demo-data');
 * // files.events === 'demo-data/events.jsonl'
 */
export async function writeWorld(world: World, dir: string): Promise<WorldFiles> {
  await mkdir(dir, { recursive: true });
  const files: WorldFiles = {
    events: join(dir, 'events.jsonl'),
    items: join(dir, 'items.jsonl'),
    truth: join(dir, 'truth.json'),
  };
  await writeJsonLines(files.events, world.events, (event) => ({
    userId: event.userId,
    itemId: event.itemId,
    type: event.type,
    value: event.value,
    timestamp: event.timestamp,
    context: event.context,
  }));
  await writeJsonLines(files.items, world.items, (item) => ({
    itemId: item.itemId,
    title: item.title,
    text: item.text,
    categories: item.categories,
    attributes: item.attributes,
  }));
  const truth = { config: world.config, topics: world.topics, ...world.truth };
  await writeText(files.truth, [`${JSON.stringify(truth, null, 2)}\n`]);
  return files;
}

async function writeJsonLines<T>(
  path: string,
  rows: readonly T[],
  toRecord: (row: T) => object,
): Promise<void> {
  const chunks: string[] = [];
  for (let start = 0; start < rows.length; start += DEFAULT_BATCH_SIZE) {
    const lines = rows.slice(start, start + DEFAULT_BATCH_SIZE).map((row) => JSON.stringify(toRecord(row)));
    chunks.push(`${lines.join('\n')}\n`);
  }
  await writeText(path, chunks);
}

async function writeText(path: string, chunks: readonly string[]): Promise<void> {
  const file = await open(path, 'w');
  try {
    for (const chunk of chunks) await file.write(chunk);
  } finally {
    await file.close();
  }
}
