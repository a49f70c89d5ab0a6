import { type InputLocation, invalidField } from '../../core/errors.js';
import type { Context, Event, Item } from '../../core/types.js';
import { splitList } from './csv.js';
import { eventType, stringId, timestamp, timestampFromNumber } from './fields.js';
import {
  JsonlEventMapping,
  type JsonlEventMappingInput,
  JsonlItemMapping,
  type JsonlItemMappingInput,
  parseMapping,
} from './mapping.js';
import { fileLabel, type IngestOptions, mapRows } from './rows.js';

type JsonObject = Record<string, unknown>;
type Scalar = string | number | boolean;

function parseObject(text: string, at: InputLocation): JsonObject {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (err) {
    throw invalidField(at, `invalid JSON (${(err as Error).message})`);
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw invalidField(at, 'is not a JSON object');
  }
  return value as JsonObject;
}

/** A required id: a non-empty string, or a finite number written as a string. */
function id(value: unknown, at: InputLocation): string {
  if (typeof value === 'number' && Number.isFinite(value)) return String(value);
  if (typeof value === 'string' && value.trim() !== '') return stringId(value, at);
  if (value === undefined || value === null) throw invalidField(at, 'is missing');
  throw invalidField(at, `${JSON.stringify(value)} is not a string or number id`);
}

function optionalString(value: unknown, at: InputLocation): string | undefined {
  if (value === undefined || value === null || value === '') return undefined;
  if (typeof value !== 'string') throw invalidField(at, `${JSON.stringify(value)} is not a string`);
  return value;
}

/** An object of strings, numbers and booleans; null members are dropped. */
function scalars(value: unknown, at: InputLocation): Record<string, Scalar> | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'object' || Array.isArray(value)) throw invalidField(at, 'is not an object');
  const out: Record<string, Scalar> = {};
  for (const [key, member] of Object.entries(value)) {
    if (member === null) continue;
    if (typeof member !== 'string' && typeof member !== 'number' && typeof member !== 'boolean') {
      throw invalidField({ ...at, field: `${at.field}.${key}` }, 'is not a string, number or boolean');
    }
    out[key] = member;
  }
  return Object.keys(out).length > 0 ? out : undefined;
}

/**
 * Reads events from a JSON Lines file (one object per line, plain or gzip), in batches. Field names
 * come from the mapping (defaults `userId`, `itemId`, `type`, `value`, `timestamp`, `context`).
 * Numeric ids become strings; a numeric timestamp is read in `timestampUnit`, a string one as
 * a number or ISO date. Invalid JSON is a row error naming file:line.
 *
 * @example
 * for await (const batch of jsonlEvents('events.jsonl.gz', { user: 'uid' })) console.log(batch[0]);
 */
export function jsonlEvents(
  path: string,
  mapping: JsonlEventMappingInput = {},
  opts: IngestOptions = {},
): AsyncGenerator<Event[]> {
  const m = parseMapping(JsonlEventMapping, mapping, 'JSONL event mapping');
  const file = fileLabel(path);
  return mapRows<Event>(path, {
    ...opts,
    parse: (text, line) => {
      const o = parseObject(text, { file, line });
      const at = (field: string): InputLocation => ({ file, line, field });
      const rawType = o[m.type];
      if (rawType !== undefined && rawType !== null && typeof rawType !== 'string') {
        throw invalidField(at(m.type), `${JSON.stringify(rawType)} is not a string`);
      }
      const event: Event = {
        userId: id(o[m.user], at(m.user)),
        itemId: id(o[m.item], at(m.item)),
        type: typeof rawType === 'string' ? eventType(rawType, at(m.type)) : m.fixedType,
      };
      const value = o[m.value];
      if (typeof value === 'number' && Number.isFinite(value)) event.value = value;
      else if (value !== undefined && value !== null) {
        throw invalidField(at(m.value), `${JSON.stringify(value)} is not a number`);
      }
      const time = o[m.timestamp];
      if (typeof time === 'number')
        event.timestamp = timestampFromNumber(time, m.timestampUnit, at(m.timestamp));
      else if (typeof time === 'string') event.timestamp = timestamp(time, m.timestampUnit, at(m.timestamp));
      else if (time !== undefined && time !== null) {
        throw invalidField(at(m.timestamp), `${JSON.stringify(time)} is not a number or date`);
      }
      const context: Context | undefined = scalars(o[m.context], at(m.context));
      if (context) event.context = context;
      return event;
    },
  });
}

/**
 * Reads items from a JSON Lines file, in batches (fields default to `itemId`, `title`, `text`,
 * `categories`, `attributes`). `categories` may be an array of strings or one string split on
 * `categorySeparator`.
 *
 * @example
 * for await (const batch of jsonlItems('items.jsonl', { id: 'sku', text: 'description' })) {}
 */
export function jsonlItems(
  path: string,
  mapping: JsonlItemMappingInput = {},
  opts: IngestOptions = {},
): AsyncGenerator<Item[]> {
  const m = parseMapping(JsonlItemMapping, mapping, 'JSONL item mapping');
  const file = fileLabel(path);
  return mapRows<Item>(path, {
    ...opts,
    parse: (text, line) => {
      const o = parseObject(text, { file, line });
      const at = (field: string): InputLocation => ({ file, line, field });
      const item: Item = { itemId: id(o[m.id], at(m.id)) };
      const title = optionalString(o[m.title], at(m.title));
      if (title !== undefined) item.title = title;
      const body = optionalString(o[m.text], at(m.text));
      if (body !== undefined) item.text = body;
      const cats = o[m.categories];
      if (typeof cats === 'string') item.categories = splitList(cats, m.categorySeparator);
      else if (Array.isArray(cats) && cats.every((c): c is string => typeof c === 'string')) {
        item.categories = cats;
      } else if (cats !== undefined && cats !== null) {
        throw invalidField(at(m.categories), 'is not a string or an array of strings');
      }
      const attributes = scalars(o[m.attributes], at(m.attributes));
      if (attributes) item.attributes = attributes;
      return item;
    },
  });
}
