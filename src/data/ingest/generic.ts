import { basename } from 'node:path';
import { TideError } from '../../core/errors.js';
import { parseCsvLine } from './csv-line.js';
import { readLines } from './lines.js';
import type { CsvEventMapping, CsvItemMapping, JsonlEventMapping } from './mapping.js';

/** Column names recognised in a header, compared lower-cased with `_`, `-` and blanks removed. */
export const EVENT_COLUMN_NAMES = {
  user: ['userid', 'user', 'uid', 'customerid', 'visitorid'],
  item: ['itemid', 'item', 'iid', 'movieid', 'productid', 'sku'],
  type: ['type', 'eventtype', 'event', 'action'],
  value: ['rating', 'value', 'score'],
  timestamp: ['timestamp', 'time', 'ts', 'datetime', 'date', 'eventtime', 'createdat'],
} as const;

export const ITEM_COLUMN_NAMES = {
  id: ['itemid', 'item', 'id', 'iid', 'movieid', 'productid', 'sku'],
  title: ['title', 'name'],
  text: ['text', 'description', 'overview', 'summary', 'body'],
  categories: ['categories', 'category', 'genres', 'genre'],
} as const;

function normalize(name: string): string {
  return name.toLowerCase().replace(/[\s_-]/g, '');
}

function find(header: string[], names: readonly string[]): string | undefined {
  const normalized = header.map(normalize);
  for (const name of names) {
    const at = normalized.indexOf(name);
    if (at !== -1) return header[at];
  }
  return undefined;
}

function required(file: string, header: string[], role: string, names: readonly string[]): string {
  const column = find(header, names);
  if (column !== undefined) return column;
  throw new TideError(
    'INVALID_INPUT',
    `${file}: no ${role} column in header (${header.join(', ')}); looked for ${names.join(', ')} ` +
      '(case, _ and - ignored); pass a mapping',
    { file, line: 1 },
  );
}

/**
 * An event mapping guessed from a CSV header: user/item/type/value/timestamp columns by the names
 * above; without a type column the events are 'rating' when the value column is called rating,
 * else 'view'. No context columns.
 *
 * @example
 * defaultCsvEventMapping('events.csv', ['user_id', 'item_id', 'rating', 'ts']);
 * // -> { user: 'user_id', item: 'item_id', value: 'rating', timestamp: 'ts', fixedType: 'rating', ... }
 */
export function defaultCsvEventMapping(file: string, header: string[]): CsvEventMapping {
  const value = find(header, EVENT_COLUMN_NAMES.value);
  const type = find(header, EVENT_COLUMN_NAMES.type);
  return {
    user: required(file, header, 'user', EVENT_COLUMN_NAMES.user),
    item: required(file, header, 'item', EVENT_COLUMN_NAMES.item),
    type,
    fixedType: type === undefined && value !== undefined && normalize(value) === 'rating' ? 'rating' : 'view',
    value,
    timestamp: find(header, EVENT_COLUMN_NAMES.timestamp),
    timestampUnit: 'auto',
    context: [],
  };
}

/**
 * An item mapping guessed from a CSV header; every other column becomes an attribute.
 *
 * @example
 * defaultCsvItemMapping('items.csv', ['item_id', 'name', 'genres', 'price']);
 * // -> { id: 'item_id', title: 'name', categories: 'genres', attributes: ['price'], ... }
 */
export function defaultCsvItemMapping(file: string, header: string[]): CsvItemMapping {
  const id = required(file, header, 'item id', ITEM_COLUMN_NAMES.id);
  const title = find(header, ITEM_COLUMN_NAMES.title);
  const text = find(header, ITEM_COLUMN_NAMES.text);
  const categories = find(header, ITEM_COLUMN_NAMES.categories);
  const used = new Set([id, title, text, categories]);
  const attributes = header.filter((name) => name !== '' && !used.has(name));
  return { id, title, text, categories, categorySeparator: '|', attributes };
}

/** The first non-empty line of a file (plain or gzip), or undefined for an empty file. */
export async function firstLine(path: string, encoding?: 'utf8' | 'latin1'): Promise<string | undefined> {
  for await (const batch of readLines(path, { encoding, highWaterMark: 64 * 1024 })) return batch[0].text;
  return undefined;
}

/** A CSV file's header fields, trimmed. */
export async function csvHeader(
  path: string,
  delimiter: string,
  encoding?: 'utf8' | 'latin1',
): Promise<string[]> {
  const file = basename(path);
  const text = await firstLine(path, encoding);
  if (text === undefined) throw new TideError('INVALID_INPUT', `${file}: file is empty`, { file });
  return parseCsvLine(text, delimiter, { file, line: 1 }).map((name) => name.trim());
}

/** What the first JSONL record says about timestamps and ratings (used for DataSource flags). */
export async function jsonlFlags(
  path: string,
  m: JsonlEventMapping,
): Promise<{ hasTimestamps: boolean; hasRatings: boolean }> {
  const text = await firstLine(path);
  let first: Record<string, unknown> = {};
  try {
    const parsed: unknown = text === undefined ? {} : JSON.parse(text);
    if (typeof parsed === 'object' && parsed !== null) first = parsed as Record<string, unknown>;
  } catch {
    // Reported with file:line when the events are read.
  }
  const type = first[m.type] ?? m.fixedType;
  return {
    hasTimestamps: first[m.timestamp] !== undefined && first[m.timestamp] !== null,
    hasRatings: typeof first[m.value] === 'number' && type === 'rating',
  };
}
