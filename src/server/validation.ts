/**
 * Runs a zod schema over request input and turns its issues into one ApiError('INVALID_INPUT')
 * whose message names each bad field, as `events[3].type: "clik" is not one of view, click, ...`.
 */
import type { z } from 'zod';
import { ApiError } from './errors.js';
import { shown } from './schemas.js';

/** A zod issue, loosely: the fields the messages below read. */
interface Issue {
  code: string;
  path: PropertyKey[];
  message: string;
  expected?: string;
  keys?: string[];
  errors?: Issue[][];
  origin?: string;
  maximum?: number | bigint;
  minimum?: number | bigint;
}

const MAX_PROBLEMS = 5;

/** One bad field: where (path into the input) and what is wrong with it. */
export interface Problem {
  path: PropertyKey[];
  problem: string;
}

/**
 * The validated value, or the problems with each field.
 *
 * @example
 * const checked = check(ItemFilters, JSON.parse(text));
 * if (!checked.ok) console.log(checked.problems[0].problem);
 */
export function check<T>(
  schema: z.ZodType<T>,
  input: unknown,
): { ok: true; data: T } | { ok: false; problems: Problem[] } {
  const result = schema.safeParse(input);
  if (result.success) return { ok: true, data: result.data };
  return { ok: false, problems: (result.error.issues as Issue[]).flatMap((issue) => explain(issue, input)) };
}

/**
 * The validated value, or an ApiError('INVALID_INPUT') listing up to five problems, the first
 * field in `field`.
 *
 * @example
 * const body = parseInput(EventInput, json); // throws "type: \"clik\" is not one of view, click, ..."
 */
export function parseInput<T>(schema: z.ZodType<T>, input: unknown): T {
  const checked = check(schema, input);
  if (checked.ok) return checked.data;
  const { problems } = checked;
  const listed = problems
    .slice(0, MAX_PROBLEMS)
    .map(({ path, problem }) => (path.length > 0 ? `${fieldName(path)}: ${problem}` : problem));
  if (problems.length > MAX_PROBLEMS) listed.push(`(and ${problems.length - MAX_PROBLEMS} more)`);
  const field = problems[0] && problems[0].path.length > 0 ? fieldName(problems[0].path) : undefined;
  throw new ApiError('INVALID_INPUT', listed.join('; '), { field });
}

/**
 * The field name a message shows for a path.
 *
 * @example
 * fieldName(['events', 3, 'type']); // 'events[3].type'
 */
export function fieldName(path: readonly PropertyKey[]): string {
  // an empty key is shown quoted, so that the field still has a name
  const name = (part: PropertyKey) => (part === '' ? '""' : String(part));
  return path
    .map((part, n) => (typeof part === 'number' ? `[${part}]` : n === 0 ? name(part) : `.${name(part)}`))
    .join('');
}

function valueAt(input: unknown, path: readonly PropertyKey[]): unknown {
  let value = input;
  for (const part of path) {
    if (value === null || typeof value !== 'object' || !Object.hasOwn(value, part)) return undefined;
    value = (value as Record<PropertyKey, unknown>)[part];
  }
  return value;
}

function explain(issue: Issue, input: unknown): Problem[] {
  const at = (problem: string, extra: PropertyKey[] = []) => ({ path: [...issue.path, ...extra], problem });
  const value = valueAt(input, issue.path);
  switch (issue.code) {
    case 'invalid_type':
      return [
        at(value === undefined ? 'is required' : `expected ${article(issue.expected)}, got ${shown(value)}`),
      ];
    case 'unrecognized_keys':
      return (issue.keys ?? []).map((key) => at('is not a known field', [key]));
    case 'invalid_union':
      return explainUnion(issue, input, value, at);
    case 'too_big':
    case 'too_small':
      return [at(bound(issue, value))];
    default:
      return [at(issue.message)];
  }
}

/**
 * A union of primitives (a context value) says what it accepts; a union of objects (one event or a
 * batch) reports the branch the input meant: the first whose own fields it did not reject.
 */
function explainUnion(
  issue: Issue,
  input: unknown,
  value: unknown,
  at: (problem: string) => Problem,
): Problem[] {
  const branches = issue.errors ?? [];
  // branch issues' paths are relative to the union
  const atRoot = (i: Issue) => i.path.length === 0;
  if (branches.every((b) => b.length > 0 && b.every((i) => i.code === 'invalid_type' && atRoot(i)))) {
    const expected = [...new Set(branches.map((b) => article(b[0].expected)))];
    const listed =
      expected.length > 1 ? `${expected.slice(0, -1).join(', ')} or ${expected.at(-1)}` : expected[0];
    return [at(`expected ${listed}, got ${shown(value)}`)];
  }
  const meant =
    branches.find(
      (b) => !b.some((i) => atRoot(i) && (i.code === 'unrecognized_keys' || i.code === 'invalid_type')),
    ) ??
    branches[0] ??
    [];
  return meant.flatMap((inner) => explain({ ...inner, path: [...issue.path, ...inner.path] }, input));
}

function bound(issue: Issue, value: unknown): string {
  const tooBig = issue.code === 'too_big';
  const limit = Number(tooBig ? issue.maximum : issue.minimum);
  switch (issue.origin) {
    case 'string':
      return tooBig ? `is longer than ${limit} characters` : `must have at least ${limit} character(s)`;
    case 'array':
      return tooBig
        ? `has more than ${limit} entries`
        : `must have at least ${limit} entr${limit === 1 ? 'y' : 'ies'}`;
    case 'number':
      return `${shown(value)} is ${tooBig ? 'above the maximum' : 'below the minimum'} ${limit}`;
    default:
      return issue.message;
  }
}

function article(expected: string | undefined): string {
  switch (expected) {
    case 'object':
    case 'array':
    case 'integer':
      return `an ${expected}`;
    case undefined:
      return 'another type';
    default:
      return `a ${expected}`;
  }
}
