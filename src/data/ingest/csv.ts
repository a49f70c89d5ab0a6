import { invalidField, TideError } from '../../core/errors.js';
import type { Context, Event, Item } from '../../core/types.js';
import { parseCsvLine } from './csv-line.js';
import { eventType, finiteNumber, scalar, stringId, timestamp } from './fields.js';
import {
  type ColumnRef,
  CsvEventMapping,
  type CsvEventMappingInput,
  CsvItemMapping,
  type CsvItemMappingInput,
  parseMapping,
} from './mapping.js';
import { fileLabel, type IngestOptions, mapRows } from './rows.js';

export interface CsvOptions extends IngestOptions {
  /** Field separator: ',' (default), '\t', ';', '::'... */
  delimiter?: string;
  /** Whether the first non-empty line names the columns (default true). */
  header?: boolean;
}

/** A mapped column: where it is in a row and what messages call it (header name or role). */
interface Column {
  index: number;
  label: string;
}

type Resolve = (ref: ColumnRef, role: string) => Column;
type RowFn<T> = (fields: string[], line: number) => T;

/**
 * Streams a CSV file's rows through a row function bound to the header. Every row must have as
 * many fields as the header (or, without one, as the first row); a column the mapping names but
 * the file lacks is a fatal error, never a skipped row.
 */
async function* csvRows<T>(path: string, opts: CsvOptions, bind: (resolve: Resolve) => RowFn<T>) {
  const file = fileLabel(path);
  const delimiter = opts.delimiter ?? ',';
  const hasHeader = opts.header ?? true;
  let expected: number | undefined;
  let row: RowFn<T> | undefined;
  let maxIndex = -1;

  const bindTo = (header: string[] | undefined, line: number): RowFn<T> =>
    bind((ref, role) => {
      let index: number;
      if (typeof ref === 'number') index = ref;
      else if (header) index = header.indexOf(ref);
      else throw new TideError('CONFIG', `${file}: column "${ref}" is named but the file has no header`);
      if (index < 0 || (header && index >= header.length)) {
        const names = header ? header.join(', ') : '';
        throw new TideError(
          'INVALID_INPUT',
          `${file}:${line}: no column ${JSON.stringify(ref)} for ${role} in header (${names})`,
          { file, line, field: role },
        );
      }
      maxIndex = Math.max(maxIndex, index);
      return { index, label: header ? header[index] : role };
    });
  if (!hasHeader) row = bindTo(undefined, 0);

  yield* mapRows<T>(path, {
    ...opts,
    header: hasHeader
      ? (text, line) => {
          const header = parseCsvLine(text, delimiter, { file, line }).map((name) => name.trim());
          expected = header.length;
          row = bindTo(header, line);
        }
      : undefined,
    parse: (text, line) => {
      const fields = parseCsvLine(text, delimiter, { file, line });
      if (expected === undefined) {
        expected = fields.length;
        if (maxIndex >= expected) {
          throw new TideError(
            'CONFIG',
            `${file}:${line}: the mapping uses column ${maxIndex} but rows have ${expected} fields`,
          );
        }
      } else if (fields.length !== expected) {
        throw invalidField({ file, line }, `expected ${expected} fields, found ${fields.length}`);
      }
      return row!(fields, line);
    },
  });
}

/**
 * Reads behaviour events from a CSV file, in batches, as the mapping says. Ids are trimmed and
 * must not be empty; an empty value cell gives no value; timestamps become milliseconds. Context
 * cells holding canonical numbers become numbers (see `scalar`).
 *
 * @example
 * for await (const batch of csvEvents('events.csv', { user: 'user_id', item: 'sku', timestamp: 'ts' })) {
 *   console.log(batch.length);
 * }
 */
export function csvEvents(
  path: string,
  mapping: CsvEventMappingInput,
  opts: CsvOptions = {},
): AsyncGenerator<Event[]> {
  const m = parseMapping(CsvEventMapping, mapping, 'CSV event mapping');
  const file = fileLabel(path);
  return csvRows(path, opts, (resolve) => {
    const user = resolve(m.user, 'userId');
    const item = resolve(m.item, 'itemId');
    const type = m.type === undefined ? undefined : resolve(m.type, 'type');
    const value = m.value === undefined ? undefined : resolve(m.value, 'value');
    const time = m.timestamp === undefined ? undefined : resolve(m.timestamp, 'timestamp');
    const context = m.context.map((ref) => resolve(ref, String(ref)));
    return (f, line) => {
      const at = (c: Column) => ({ file, line, field: c.label });
      const event: Event = {
        userId: stringId(f[user.index], at(user)),
        itemId: stringId(f[item.index], at(item)),
        type: type ? eventType(f[type.index], at(type)) : m.fixedType,
      };
      if (value && f[value.index].trim() !== '') event.value = finiteNumber(f[value.index], at(value));
      if (time) event.timestamp = timestamp(f[time.index], m.timestampUnit, at(time));
      if (context.length > 0) {
        const ctx: Context = {};
        for (const c of context) if (f[c.index] !== '') ctx[c.label] = scalar(f[c.index]);
        if (Object.keys(ctx).length > 0) event.context = ctx;
      }
      return event;
    };
  });
}

/**
 * Reads catalogue items from a CSV file, in batches. Empty title/text cells are left out;
 * categories are split on `categorySeparator`, trimmed, empties dropped; attribute cells holding
 * canonical numbers become numbers, empty ones are left out.
 *
 * @example
 * const items = csvItems('movies.csv', { id: 'movieId', title: 'title', categories: 'genres' });
 */
export function csvItems(
  path: string,
  mapping: CsvItemMappingInput,
  opts: CsvOptions = {},
): AsyncGenerator<Item[]> {
  const m = parseMapping(CsvItemMapping, mapping, 'CSV item mapping');
  const file = fileLabel(path);
  return csvRows(path, opts, (resolve) => {
    const id = resolve(m.id, 'itemId');
    const title = m.title === undefined ? undefined : resolve(m.title, 'title');
    const text = m.text === undefined ? undefined : resolve(m.text, 'text');
    const cats = m.categories === undefined ? undefined : resolve(m.categories, 'categories');
    const attrs = m.attributes.map((ref) => resolve(ref, String(ref)));
    return (f, line) => {
      const item: Item = { itemId: stringId(f[id.index], { file, line, field: id.label }) };
      if (title && f[title.index] !== '') item.title = f[title.index];
      if (text && f[text.index] !== '') item.text = f[text.index];
      if (cats) item.categories = splitList(f[cats.index], m.categorySeparator);
      if (attrs.length > 0) {
        const attributes: Record<string, string | number> = {};
        for (const a of attrs) if (f[a.index] !== '') attributes[a.label] = scalar(f[a.index]);
        if (Object.keys(attributes).length > 0) item.attributes = attributes;
      }
      return item;
    };
  });
}

/**
 * Splits a list cell such as `Action|Comedy`, trimming and dropping empty parts.
 *
 * @example
 * splitList('Action| Comedy||', '|'); // -> ['Action', 'Comedy']
 */
export function splitList(text: string, separator: string): string[] {
  const out: string[] = [];
  for (const part of text.split(separator)) {
    const trimmed = part.trim();
    if (trimmed !== '') out.push(trimmed);
  }
  return out;
}
