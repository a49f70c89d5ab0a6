/**
 * Query-string parameters of the recommendation and interest routes, as zod schemas over the raw
 * strings: they parse the compact syntax below and document it in the OpenAPI document.
 *
 * - `context=hour:21,device:mobile` -> `{ hour: 21, device: 'mobile' }` (numbers and true/false typed)
 * - `filter=category:Drama,-category:Horror,attr.colour:red,include:id1|id2,exclude:id3`, or the
 *   same as JSON: `filter={"categories":["Drama"],"exclude":["id3"]}` (for ids with `,` `:` `|`)
 * - `exclude_seen=true` (default: every event type) | `false` | `view,click`
 * - `explain=true|false`, `diversity=0.7`, `k=10`
 */
import { z } from 'zod';
import { type Context, EVENT_TYPES, type EventType, isEventType } from '../core/types.js';
import type { ItemFilters as Filters } from '../engine/types.js';
import { ApiError } from './errors.js';
import { ItemFilters, shown } from './schemas.js';
import { check } from './validation.js';

type Ctx = z.core.$RefinementCtx;

/**
 * An integer parameter in [min, max], given as digits only (`1e1`, ` 7` and `1.0` are refused).
 *
 * @example
 * intParam(1, 365, 'Points of history').parse('30'); // 30
 */
export function intParam(min: number, max: number, description: string) {
  return z
    .string()
    .regex(/^\d{1,9}$/, { error: (issue) => `${shown(issue.input)} is not an integer` })
    .transform(Number)
    .pipe(z.number().int().min(min).max(max))
    .describe(`${description}; an integer in [${min}, ${max}]`);
}

export const DiversityParam = z
  .string()
  .regex(/^(0|1|0?\.\d{1,6}|1\.0*)$/, { error: (issue) => `${shown(issue.input)} is not a number in [0, 1]` })
  .transform(Number)
  .describe('MMR trade-off λ in [0, 1]: 1 = pure relevance (default), lower = more diverse');

export const BooleanParam = z.enum(['true', 'false'], {
  error: (issue) => `${shown(issue.input)} is not true or false`,
});

/** `hour:21` -> 21, `mobile:true` -> true, otherwise the text. */
function typed(text: string): string | number | boolean {
  if (text === 'true' || text === 'false') return text === 'true';
  return /^-?\d+(\.\d+)?$/.test(text) && Number.isFinite(Number(text)) ? Number(text) : text;
}

/** `key:value` split at the first colon, both parts non-empty, or null. */
function pair(term: string): [string, string] | null {
  const colon = term.indexOf(':');
  if (colon <= 0 || colon === term.length - 1) return null;
  return [term.slice(0, colon), term.slice(colon + 1)];
}

function parseContext(text: string, ctx: Ctx): Context {
  const context: Context = {};
  for (const term of text.split(',')) {
    const kv = pair(term.trim());
    if (!kv || kv[0] === '__proto__') {
      ctx.addIssue({ code: 'custom', message: `term ${shown(term)} is not key:value`, input: text });
      continue;
    }
    context[kv[0]] = typed(kv[1]);
  }
  return context;
}

const FILTER_TERMS =
  'category:<name>, -category:<name>, attr.<name>:<value>, include:<id>|<id>, exclude:<id>|<id>';

function parseFilter(text: string, ctx: Ctx): Filters {
  if (text.trimStart().startsWith('{')) return parseJsonFilter(text, ctx);
  const filters: Required<Pick<Filters, 'categories' | 'excludeCategories' | 'include' | 'exclude'>> & {
    attributes: Record<string, string | number | boolean>;
  } = { categories: [], excludeCategories: [], include: [], exclude: [], attributes: {} };
  for (const term of text.split(',')) {
    const kv = pair(term.trim());
    const [key, value] = kv ?? ['', ''];
    if (key === 'category') filters.categories.push(value);
    else if (key === '-category') filters.excludeCategories.push(value);
    else if (key === 'include' || key === 'exclude') filters[key].push(...value.split('|').filter(Boolean));
    else if (key.startsWith('attr.') && key.length > 5 && key !== 'attr.__proto__')
      filters.attributes[key.slice(5)] = typed(value);
    else
      ctx.addIssue({
        code: 'custom',
        message: `term ${shown(term)} is not one of ${FILTER_TERMS}`,
        input: text,
      });
  }
  // absent conditions stay absent: an empty include list would keep nothing
  const out: Filters = {};
  if (filters.categories.length) out.categories = filters.categories;
  if (filters.excludeCategories.length) out.excludeCategories = filters.excludeCategories;
  if (filters.include.length) out.include = filters.include;
  if (filters.exclude.length) out.exclude = filters.exclude;
  if (Object.keys(filters.attributes).length) out.attributes = filters.attributes;
  return out;
}

function parseJsonFilter(text: string, ctx: Ctx): Filters {
  let json: unknown;
  try {
    json = JSON.parse(text, (key, value) => {
      if (key === '__proto__') throw new Error('"__proto__" is not allowed as a field name');
      return value;
    });
  } catch (error) {
    ctx.addIssue({
      code: 'custom',
      message: `is not valid JSON: ${(error as Error).message.slice(0, 120)}`,
      input: text,
    });
    return {};
  }
  const checked = check(ItemFilters, json);
  if (checked.ok) return checked.data;
  for (const { path, problem } of checked.problems)
    ctx.addIssue({ code: 'custom', message: problem, path, input: text });
  return {};
}

function parseExcludeSeen(text: string, ctx: Ctx): EventType[] {
  if (text === 'true') return [...EVENT_TYPES];
  if (text === 'false') return [];
  const types = text.split(',').map((t) => t.trim());
  for (const t of types) {
    if (!isEventType(t)) {
      ctx.addIssue({
        code: 'custom',
        message: `${shown(t)} is not true, false or one of ${EVENT_TYPES.join(', ')}`,
        input: text,
      });
    }
  }
  return types.filter(isEventType);
}

/**
 * The query of GET /users/:id/recommendations.
 *
 * @example
 * recommendationQuery(1000).parse({ k: '5', filter: 'category:Drama,-category:Horror' });
 * // { k: 5, filter: { categories: ['Drama'], excludeCategories: ['Horror'] } }
 */
export function recommendationQuery(maxK: number) {
  return z.strictObject({
    k: intParam(1, maxK, 'How many items (default 10)').optional(),
    context: z
      .string()
      .max(2000)
      .transform(parseContext)
      .describe(
        'Request context as key:value pairs, e.g. `hour:21,device:mobile` (numbers and true/false are typed)',
      )
      .optional(),
    filter: z
      .string()
      .max(16_000)
      .transform(parseFilter)
      .describe(
        `Business filters, comma-separated terms, all of which must hold: ${FILTER_TERMS} ` +
          '(several category: terms keep items in any of them). For ids containing , : or |, ' +
          'give the ItemFilters object as JSON instead: `{"categories":["Drama"],"exclude":["a,b"]}`',
      )
      .optional(),
    diversity: DiversityParam.optional(),
    exclude_seen: z
      .string()
      .max(200)
      .transform(parseExcludeSeen)
      .describe(
        `Leave out items the user already had: true (default, every event type), false, or a list of types (${EVENT_TYPES.join(',')})`,
      )
      .optional(),
    explain: BooleanParam.describe('Attach reasons (default true)').optional(),
    at: TimeParam.describe(
      'When the request is made, as epoch milliseconds or ISO 8601 (default: now): a time-aware model reads the time since the user’s last event from it; for replays and evaluation',
    ).optional(),
  });
}

/** A time as epoch milliseconds or ISO 8601, to epoch milliseconds. */
const TimeParam = z
  .string()
  .max(40)
  .transform((text, context) => {
    const ms = /^\d{1,15}$/.test(text) ? Number(text) : Date.parse(text);
    if (Number.isNaN(ms)) {
      context.addIssue({
        code: 'custom',
        message: `${shown(text)} is not epoch milliseconds or an ISO 8601 time`,
      });
      return z.NEVER;
    }
    return ms;
  });

/** The query of GET /users/:id/interests. */
export const InterestsQuery = z.strictObject({
  history: intParam(1, 365, 'Points of interest history (default 30)').optional(),
});

/**
 * The query string as an object, rejecting a parameter given twice (which one would win is a guess)
 * and `__proto__` (which zod would skip silently).
 *
 * @example
 * queryObject(new URL('http://x/?k=5')); // { k: '5' }
 */
export function queryObject(url: URL): Record<string, string> {
  const query: Record<string, string> = Object.create(null);
  for (const [key, value] of url.searchParams) {
    if (key === '__proto__')
      throw new ApiError('INVALID_INPUT', `${key}: is not a known query parameter`, { field: key });
    if (Object.hasOwn(query, key))
      throw new ApiError('INVALID_INPUT', `${key}: given more than once`, { field: key });
    query[key] = value;
  }
  return query;
}
