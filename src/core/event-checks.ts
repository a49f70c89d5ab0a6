/**
 * The checks an event's ids and time must pass wherever events come in (the API, the file readers,
 * the stores), in one place so that every door says the same thing. Each returns the problem in a
 * few words, or null.
 */

/** Below this many milliseconds (1973-03-03) a number reads as Unix seconds, not milliseconds. */
export const SECONDS_LOOK_BELOW_MS = 1e11;

/** The times an event may carry. */
export interface TimeWindow {
  /** Earliest accepted time (ms since the epoch). */
  readonly earliestMs: number;
  /** How far past the receiver's clock a time may be (clock skew), in ms. */
  readonly futureMs: number;
}

/** From 1973-03-03 (below, a number looks like seconds) to a day past the receiver's clock. */
export const DEFAULT_TIME_WINDOW: TimeWindow = { earliestMs: SECONDS_LOOK_BELOW_MS, futureMs: 86_400_000 };

/** A high surrogate not followed by a low one, or a low one not preceded by a high one. */
const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

/**
 * What is wrong with an id, or null: control characters (NUL, newlines, ...) and unpaired UTF-16
 * surrogates (which no encoding can store) are refused.
 *
 * @example
 * idProblem('u\u0000'); // 'contains the control character U+0000'
 */
export function idProblem(id: string): string | null {
  for (let i = 0; i < id.length; i++) {
    const code = id.charCodeAt(i);
    // C0 controls, DEL and C1 controls
    if (code <= 0x1f || (code >= 0x7f && code <= 0x9f))
      return `contains the control character U+${code.toString(16).toUpperCase().padStart(4, '0')}`;
  }
  if (LONE_SURROGATE.test(id)) return 'contains an unpaired UTF-16 surrogate';
  return null;
}

/**
 * What is wrong with a time (ms since the epoch), or null.
 *
 * @example
 * timestampProblem(1_700_000_000); // 'looks like Unix seconds (2023-11-14T22:13:20.000Z as seconds); send milliseconds'
 */
export function timestampProblem(
  ms: number,
  window: TimeWindow = DEFAULT_TIME_WINDOW,
  now = Date.now(),
): string | null {
  if (!Number.isFinite(ms)) return `${ms} is not a finite number`;
  if (ms >= 0 && ms < SECONDS_LOOK_BELOW_MS && window.earliestMs >= SECONDS_LOOK_BELOW_MS) {
    const asSeconds = ms * 1000;
    const when =
      Number.isFinite(asSeconds) && asSeconds < 8.64e15
        ? ` (${new Date(asSeconds).toISOString()} as seconds)`
        : '';
    return `${ms} looks like Unix seconds${when}; send milliseconds`;
  }
  if (ms < window.earliestMs) return `${ms} is before ${iso(window.earliestMs)}, the earliest time accepted`;
  if (ms > now + window.futureMs) {
    const when = Math.abs(ms) < 8.64e15 ? ` (${iso(ms)})` : '';
    return `${ms}${when} is more than ${Math.round(window.futureMs / 3_600_000)} h ahead of now`;
  }
  return null;
}

function iso(ms: number): string {
  return Math.abs(ms) < 8.64e15 ? new Date(ms).toISOString() : String(ms);
}
