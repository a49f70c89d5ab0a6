import { type InputLocation, invalidField } from '../../core/errors.js';
import {
  DEFAULT_TIME_WINDOW,
  idProblem,
  SECONDS_LOOK_BELOW_MS,
  type TimeWindow,
  timestampProblem,
} from '../../core/event-checks.js';
import { EVENT_TYPES, type EventType, isEventType } from '../../core/types.js';

/**
 * Field validators shared by the readers. Each takes the raw text and where it sits, and either
 * returns the parsed value or throws `invalidField(...)` worded as `u.data:1834: timestamp "abc" is
 * not a number`.
 */

/** How a timestamp column is written. 'auto': numbers below 1e11 are seconds, larger ones
 * milliseconds (right for any date after 1973-03-03); anything else is parsed as an ISO date. */
export type TimestampUnit = 'seconds' | 'milliseconds' | 'iso' | 'auto';

const MS_THRESHOLD = SECONDS_LOOK_BELOW_MS;

function isDigits(text: string): boolean {
  if (text.length === 0) return false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c < 48 || c > 57) return false;
  }
  return true;
}

/** A MovieLens-style id: a non-negative decimal integer, returned as the string given. */
export function intId(text: string, at: InputLocation): string {
  if (!isDigits(text)) throw invalidField(at, `"${text}" is not an integer id`);
  return text;
}

/** Any non-empty id (surrounding blanks removed) without control characters or unpaired surrogates. */
export function stringId(text: string, at: InputLocation): string {
  const id = text.trim();
  if (id.length === 0) throw invalidField(at, 'is empty');
  const problem = idProblem(id);
  if (problem) throw invalidField(at, `${JSON.stringify(id)} ${problem}`);
  return id;
}

/**
 * The times a data file may hold: history of any age (a file's unit is declared or inferred, so a
 * small number is not taken for a mistake), but not past tomorrow.
 */
const FILE_TIME_WINDOW: TimeWindow = { ...DEFAULT_TIME_WINDOW, earliestMs: Number.NEGATIVE_INFINITY };

function checkedTime(ms: number, at: InputLocation): number {
  const problem = timestampProblem(ms, FILE_TIME_WINDOW);
  if (problem) throw invalidField(at, problem);
  return ms;
}

/** A finite decimal number (blanks around it allowed). */
export function finiteNumber(text: string, at: InputLocation): number {
  const value = text.trim().length === 0 ? Number.NaN : Number(text);
  if (!Number.isFinite(value)) throw invalidField(at, `"${text}" is not a number`);
  return value;
}

/** A number within [min, max]. */
export function numberIn(text: string, min: number, max: number, at: InputLocation): number {
  const value = finiteNumber(text, at);
  if (value < min || value > max) throw invalidField(at, `${value} is outside ${min}..${max}`);
  return value;
}

/** Unix seconds written as a non-negative integer, returned in milliseconds. */
export function unixSeconds(text: string, at: InputLocation): number {
  if (isDigits(text)) return Number(text) * 1000;
  if (isNumeric(text.trim()))
    throw invalidField(at, `"${text}" is not a whole non-negative number of seconds`);
  throw invalidField(at, `"${text}" is not a number`);
}

/** A timestamp in the given unit, returned in milliseconds since the epoch. */
export function timestamp(text: string, unit: TimestampUnit, at: InputLocation): number {
  const trimmed = text.trim();
  if (unit === 'iso' || (unit === 'auto' && !isNumeric(trimmed))) {
    const ms = Date.parse(trimmed);
    if (Number.isNaN(ms)) throw invalidField(at, `"${text}" is not a date`);
    return checkedTime(ms, at);
  }
  const value = finiteNumber(text, at);
  if (unit === 'seconds' || (unit === 'auto' && Math.abs(value) < MS_THRESHOLD))
    return checkedTime(value * 1000, at);
  return checkedTime(value, at);
}

/** A numeric timestamp from JSON (already a number). */
export function timestampFromNumber(value: number, unit: TimestampUnit, at: InputLocation): number {
  if (!Number.isFinite(value)) throw invalidField(at, `${value} is not a number`);
  if (unit === 'iso') throw invalidField(at, `${value} is not an ISO date string`);
  if (unit === 'seconds' || (unit === 'auto' && Math.abs(value) < MS_THRESHOLD))
    return checkedTime(value * 1000, at);
  return checkedTime(value, at);
}

/** One of EVENT_TYPES. */
export function eventType(text: string, at: InputLocation): EventType {
  const type = text.trim();
  if (!isEventType(type)) throw invalidField(at, `"${text}" is not one of ${EVENT_TYPES.join(', ')}`);
  return type;
}

function isNumeric(text: string): boolean {
  return text.length > 0 && Number.isFinite(Number(text));
}

/**
 * A CSV cell as an attribute or context value: the number when the text is a number written the
 * canonical way (`String(Number(text)) === text`, so `"02139"` stays a string), else the text.
 */
export function scalar(text: string): string | number {
  const n = Number(text);
  return text.length > 0 && Number.isFinite(n) && String(n) === text ? n : text;
}

/**
 * The year of a MovieLens title (the last `(dddd)` in it), if any.
 *
 * @example
 * titleYear('Land Before Time III (1995) (V)'); // -> 1995
 */
export function titleYear(title: string): number | undefined {
  const matches = title.match(/\((\d{4})\)/g);
  if (!matches) return undefined;
  return Number(matches[matches.length - 1].slice(1, 5));
}
