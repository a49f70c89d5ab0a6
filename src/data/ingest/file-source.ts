import { basename } from 'node:path';
import { TideError } from '../../core/errors.js';
import type { Event, Item } from '../../core/types.js';
import type { DataSource, ReadOptions } from '../source.js';
import { csvEvents, csvItems } from './csv.js';
import { csvHeader, defaultCsvEventMapping, defaultCsvItemMapping, jsonlFlags } from './generic.js';
import { jsonlEvents, jsonlItems } from './jsonl.js';
import { type DataSourceOptions, JsonlEventMapping, JsonlItemMapping } from './mapping.js';

/** A source with no catalogue yields no item batches. */
export async function* noItems(): AsyncGenerator<Item[]> {}

export type Reader<T> = (opts?: ReadOptions) => AsyncIterable<T[]>;

export function source(
  name: string,
  format: string,
  flags: { hasTimestamps: boolean; hasRatings: boolean },
  events: Reader<Event>,
  items: Reader<Item> = noItems,
): DataSource {
  return { name, format, ...flags, events, items };
}

/** 'csv' or 'jsonl' from a file name (a `.gz` suffix ignored), or undefined. */
export function fileFormat(path: string): 'csv' | 'jsonl' | undefined {
  const name = path.toLowerCase().replace(/\.gz$/, '');
  if (name.endsWith('.csv') || name.endsWith('.tsv')) return 'csv';
  if (name.endsWith('.jsonl') || name.endsWith('.ndjson')) return 'jsonl';
  return undefined;
}

function csvLayout(path: string, o: DataSourceOptions) {
  const tsv = /\.tsv(\.gz)?$/i.test(path);
  return { delimiter: o.delimiter ?? (tsv ? '\t' : ','), header: o.header, encoding: o.encoding };
}

function noHeader(path: string): TideError {
  return new TideError('CONFIG', `${basename(path)}: without a header line a column mapping must be given`);
}

/**
 * A source over a generic events file (CSV or JSONL, by extension) and an optional items file.
 * CSV mappings not given in `o` are guessed from the header names (see generic.ts); the
 * timestamp/rating flags follow from the mapping (CSV) or the first record (JSONL).
 *
 * @example
 * const src = await fileSource('shop/events.csv', 'shop/items.csv', 'shop', DataSourceOptions.parse({}));
 */
export async function fileSource(
  eventsPath: string,
  itemsPath: string | undefined,
  name: string,
  o: DataSourceOptions,
): Promise<DataSource> {
  const format = fileFormat(eventsPath);
  if (format === undefined) {
    throw new TideError(
      'INVALID_INPUT',
      `${eventsPath}: unknown file type; expected .csv, .tsv or .jsonl (optionally .gz)`,
      { file: basename(eventsPath) },
    );
  }
  let events: Reader<Event>;
  let flags: { hasTimestamps: boolean; hasRatings: boolean };
  if (format === 'csv') {
    const layout = csvLayout(eventsPath, o);
    if (!o.csvEvents && !o.header) throw noHeader(eventsPath);
    const m =
      o.csvEvents ??
      defaultCsvEventMapping(basename(eventsPath), await csvHeader(eventsPath, layout.delimiter, o.encoding));
    events = (r) => csvEvents(eventsPath, m, { ...layout, ...r });
    flags = {
      hasTimestamps: m.timestamp !== undefined,
      hasRatings: m.value !== undefined && (m.type !== undefined || m.fixedType === 'rating'),
    };
  } else {
    const m = o.jsonlEvents ?? JsonlEventMapping.parse({});
    events = (r) => jsonlEvents(eventsPath, m, { encoding: o.encoding, ...r });
    flags = await jsonlFlags(eventsPath, m);
  }
  if (itemsPath === undefined) return source(name, format, flags, events);
  let items: Reader<Item>;
  if (fileFormat(itemsPath) === 'csv') {
    const layout = csvLayout(itemsPath, o);
    if (!o.csvItems && !o.header) throw noHeader(itemsPath);
    const m =
      o.csvItems ??
      defaultCsvItemMapping(basename(itemsPath), await csvHeader(itemsPath, layout.delimiter, o.encoding));
    items = (r) => csvItems(itemsPath, m, { ...layout, ...r });
  } else {
    const m = o.jsonlItems ?? JsonlItemMapping.parse({});
    items = (r) => jsonlItems(itemsPath, m, { encoding: o.encoding, ...r });
  }
  return source(name, format, flags, events, items);
}
