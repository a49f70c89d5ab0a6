/**
 * The zod schemas of every request body, built once per app from its limits. They validate the
 * requests and generate the OpenAPI document, so the two cannot drift. Objects are strict: an
 * unknown field is rejected with its name (a typo such as `userid` must not be silently dropped).
 */
import { z } from 'zod';
import { DEFAULT_TIME_WINDOW, idProblem, type TimeWindow, timestampProblem } from '../core/event-checks.js';
import { EVENT_TYPES } from '../core/types.js';

/** Request limits; the defaults suit one event stream per client. */
export interface Limits {
  /** Largest request body (bytes); 413 beyond, checked on Content-Length and on the bytes read. */
  maxBodyBytes: number;
  /** Most events or items in one batch; 413 beyond. */
  maxBatch: number;
  /** Largest `k` a recommendation request may ask for. */
  maxK: number;
  /** The times an event may carry (a number that looks like seconds, or the far future, is a 400). */
  timeWindow: TimeWindow;
  /** Most events waiting to be logged; a write beyond is refused with 503 and Retry-After. */
  maxQueuedEvents: number;
}

export const DEFAULT_LIMITS: Readonly<Limits> = {
  maxBodyBytes: 1 << 20,
  maxBatch: 1000,
  maxK: 1000,
  timeWindow: DEFAULT_TIME_WINDOW,
  maxQueuedEvents: 500,
};

/** Longest id and longest short string (category, attribute value) accepted. */
const MAX_ID = 256;
const MAX_SHORT = 1000;
/** Keys that would reach an object's prototype when a record is copied. */
const RESERVED_KEYS = new Set(['__proto__', 'constructor', 'prototype']);

/**
 * The value as an error message shows it: JSON, cut short so a huge input cannot flood a log.
 *
 * @example
 * shown('clik'); // '"clik"'
 */
export function shown(value: unknown): string {
  let text: string;
  try {
    text = JSON.stringify(value) ?? String(value);
  } catch {
    text = String(value);
  }
  return text.length > 60 ? `${text.slice(0, 57)}...` : text;
}

export const Id = z
  .string()
  .min(1)
  .max(MAX_ID)
  .superRefine((id, context) => {
    const problem = idProblem(id);
    if (problem) context.addIssue({ code: 'custom', message: problem });
  });

export const EventType = z.enum(EVENT_TYPES, {
  error: (issue) => `${shown(issue.input)} is not one of ${EVENT_TYPES.join(', ')}`,
});

const RecordKey = z
  .string()
  .min(1)
  .max(128)
  .refine((key) => !RESERVED_KEYS.has(key), { message: 'is a reserved name' });

/** Context and attribute values: strings, finite numbers or booleans, as the store keeps them. */
export const FlatRecord = z
  .record(RecordKey, z.union([z.string().max(MAX_SHORT), z.number(), z.boolean()]), {
    error: (issue) =>
      issue.code === 'invalid_type'
        ? `expected an object of strings, numbers or booleans, got ${shown(issue.input)}`
        : undefined,
  })
  .refine((record) => Object.keys(record).length <= 64, { message: 'has more than 64 keys' });

/**
 * One event as clients send it; the store's own checks agree, with length limits added. The time is
 * epoch milliseconds or an ISO 8601 date-time with an offset, within `window`.
 *
 * @example
 * eventInput(DEFAULT_TIME_WINDOW).parse({ userId: 'u1', itemId: '42', type: 'click', context: { device: 'tv' } });
 */
export function eventInput(window: TimeWindow) {
  return z
    .strictObject({
      userId: Id,
      itemId: Id,
      type: EventType,
      value: z.number().optional().describe('Rating value, price, dwell time... depending on the type'),
      timestamp: z
        .union([z.number(), z.iso.datetime({ offset: true }).transform((text) => Date.parse(text))])
        .superRefine((ms, context) => {
          const problem = timestampProblem(ms, window);
          if (problem) context.addIssue({ code: 'custom', message: problem });
        })
        .optional()
        .describe(
          'Milliseconds since the epoch, or an ISO 8601 date-time with an offset; the receive time if absent',
        ),
      context: FlatRecord.optional(),
    })
    .describe('One behaviour event');
}

/** An event with the default time window. */
export const EventInput = eventInput(DEFAULT_TIME_WINDOW);

const Categories = z.array(z.string().min(1).max(MAX_SHORT)).max(100);

/** An item's fields; the id comes from the path (PUT) or the record (batch). */
export const ItemFields = z.strictObject({
  title: z.string().max(MAX_SHORT).optional(),
  text: z.string().max(100_000).optional(),
  categories: Categories.optional(),
  attributes: FlatRecord.optional(),
});

export const ItemInput = ItemFields.extend({ itemId: Id }).describe('One catalogue item');

export const ItemFilters = z
  .strictObject({
    categories: Categories.optional().describe('Keep items with at least one of these categories'),
    excludeCategories: Categories.optional().describe('Drop items with any of these categories'),
    attributes: FlatRecord.optional().describe('Keep items whose attributes equal these values'),
    include: z.array(Id).max(10_000).optional().describe('Keep only these items'),
    exclude: z.array(Id).max(10_000).optional().describe('Never these items'),
  })
  .describe('Business filters; every condition must hold');

/** The request schemas that depend on the limits. */
export interface RequestSchemas {
  eventBatch: z.ZodType<{ events: z.output<typeof EventInput>[] }>;
  events: z.ZodType<z.output<typeof EventInput> | { events: z.output<typeof EventInput>[] }>;
  itemBatch: z.ZodType<{ items: z.infer<typeof ItemInput>[] }>;
  k: z.ZodType<number | undefined>;
  textQuery: ReturnType<typeof textQuery>;
}

function textQuery(k: z.ZodType<number | undefined>) {
  return z
    .strictObject({
      text: z.string().min(1).max(2000).describe('What the user asks for, e.g. "space operas, but lighter"'),
      k,
      userId: Id.optional().describe("Blend in this user's behaviour and leave out what they have seen"),
      filters: ItemFilters.optional(),
      diversity: z.number().min(0).max(1).optional().describe('MMR λ: 1 = pure relevance (default)'),
      excludeSeen: z.array(EventType).optional().describe('Event types whose items are not shown again'),
      explain: z.boolean().optional().describe('Attach reasons (default true)'),
    })
    .describe('A text query');
}

/**
 * Builds the schemas for a set of limits.
 *
 * @example
 * const schemas = requestSchemas({ ...DEFAULT_LIMITS, maxBatch: 100 });
 * schemas.eventBatch.safeParse({ events: [{ userId: 'u1', itemId: 'i1', type: 'click' }] }).success; // true
 */
export function requestSchemas(limits: Limits): RequestSchemas {
  const event = eventInput(limits.timeWindow);
  const eventBatch = z.strictObject({ events: z.array(event).min(1).max(limits.maxBatch) });
  const k = z.number().int().min(1).max(limits.maxK).optional().describe('How many items (default 10)');
  return {
    eventBatch,
    events: z.union([event, eventBatch.describe(`Up to ${limits.maxBatch} events, appended atomically`)]),
    itemBatch: z.strictObject({ items: z.array(ItemInput).min(1).max(limits.maxBatch) }),
    k,
    textQuery: textQuery(k),
  };
}
