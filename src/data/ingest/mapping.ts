import { z } from 'zod';
import { EVENT_TYPES } from '../../core/types.js';
import { type Validator, validate } from '../../core/validate.js';

/** A CSV column: its header name, or its 0-based index. */
export const ColumnRef = z.union([z.string().min(1), z.number().int().nonnegative()]);
export type ColumnRef = z.infer<typeof ColumnRef>;

export const EventTypeSchema = z.enum(EVENT_TYPES);

/** See `TimestampUnit` in fields.ts; 'auto' tells seconds from milliseconds by size. */
export const TimestampUnitSchema = z.enum(['seconds', 'milliseconds', 'iso', 'auto']);

/**
 * Which CSV columns make an Event. `type` names a column holding event types; without it every
 * event gets `fixedType`. Context columns are keyed by header name (or by index as a string when
 * the file has no header); empty context cells are left out.
 */
export const CsvEventMapping = z.object({
  user: ColumnRef,
  item: ColumnRef,
  type: ColumnRef.optional(),
  fixedType: EventTypeSchema.default('view'),
  value: ColumnRef.optional(),
  timestamp: ColumnRef.optional(),
  timestampUnit: TimestampUnitSchema.default('auto'),
  context: z.array(ColumnRef).default([]),
});
export type CsvEventMapping = z.infer<typeof CsvEventMapping>;
export type CsvEventMappingInput = z.input<typeof CsvEventMapping>;

/** Which CSV columns make an Item. Attributes are keyed by header name (or index as a string). */
export const CsvItemMapping = z.object({
  id: ColumnRef,
  title: ColumnRef.optional(),
  text: ColumnRef.optional(),
  categories: ColumnRef.optional(),
  categorySeparator: z.string().min(1).default('|'),
  attributes: z.array(ColumnRef).default([]),
});
export type CsvItemMapping = z.infer<typeof CsvItemMapping>;
export type CsvItemMappingInput = z.input<typeof CsvItemMapping>;

/**
 * Which top-level JSON fields make an Event. A missing or null `type` field gives `fixedType`;
 * `context` names a field holding an object of strings, numbers and booleans.
 */
export const JsonlEventMapping = z.object({
  user: z.string().min(1).default('userId'),
  item: z.string().min(1).default('itemId'),
  type: z.string().min(1).default('type'),
  fixedType: EventTypeSchema.default('view'),
  value: z.string().min(1).default('value'),
  timestamp: z.string().min(1).default('timestamp'),
  timestampUnit: TimestampUnitSchema.default('auto'),
  context: z.string().min(1).default('context'),
});
export type JsonlEventMapping = z.infer<typeof JsonlEventMapping>;
export type JsonlEventMappingInput = z.input<typeof JsonlEventMapping>;

/** Which top-level JSON fields make an Item; `categories` is an array of strings or one
 * `categorySeparator`-separated string; `attributes` an object of strings, numbers, booleans. */
export const JsonlItemMapping = z.object({
  id: z.string().min(1).default('itemId'),
  title: z.string().min(1).default('title'),
  text: z.string().min(1).default('text'),
  categories: z.string().min(1).default('categories'),
  categorySeparator: z.string().min(1).default('|'),
  attributes: z.string().min(1).default('attributes'),
});
export type JsonlItemMapping = z.infer<typeof JsonlItemMapping>;
export type JsonlItemMappingInput = z.input<typeof JsonlItemMapping>;

/** Options of `openDataSource` (detect.ts), validated with zod so a config file can carry them. */
export const DataSourceOptions = z.object({
  /** ML-1M: read `sequences.txt.gz` or a ratings file. Default: sequences when present. */
  source: z.enum(['sequences', 'ratings']).optional(),
  /** Generic CSV: field separator; default `\t` for `.tsv` files, else `,`. */
  delimiter: z.string().min(1).optional(),
  /** Generic CSV: whether the first line is a header (needed to default the mapping). */
  header: z.boolean().default(true),
  encoding: z.enum(['utf8', 'latin1']).default('utf8'),
  /** Generic files: mappings; CSV ones default from the header names, JSONL ones to the usual fields. */
  csvEvents: CsvEventMapping.optional(),
  csvItems: CsvItemMapping.optional(),
  jsonlEvents: JsonlEventMapping.optional(),
  jsonlItems: JsonlItemMapping.optional(),
});
export type DataSourceOptions = z.infer<typeof DataSourceOptions>;
export type DataSourceOptionsInput = z.input<typeof DataSourceOptions>;

/**
 * Validates a mapping or format, turning a zod error into TideError('CONFIG').
 *
 * @example
 * const mapping = parseMapping(CsvEventMapping, { user: 'uid', item: 2 }, 'csv event mapping');
 */
export function parseMapping<S extends z.ZodType>(schema: S, input: unknown, what: string): z.infer<S> {
  return validate(schema as Validator<z.infer<S>>, input, what);
}
