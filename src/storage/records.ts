/** Record shapes and errors every backend builds the same way, so reads round-trip identically. */
import { TideError } from '../core/errors.js';
import type { Context, Event } from '../core/types.js';
import type { LoggedEvent } from './ports.js';

/** SQLite keeps -0 as 0; memory does the same so both backends read back the same number. */
const positiveZero = (n: number): number => (n === 0 ? 0 : n);

/**
 * The logged form of an event. Absent `value`/`context` stay absent (not `undefined` keys), so a
 * read equals what was sent, field for field; `context` is copied so the caller cannot change the log.
 */
export function loggedEvent(seq: number, event: Event, receivedAt: number): LoggedEvent {
  const logged: { -readonly [K in keyof LoggedEvent]: LoggedEvent[K] } = {
    seq,
    userId: event.userId,
    itemId: event.itemId,
    type: event.type,
    timestamp: positiveZero(event.timestamp ?? receivedAt),
  };
  if (event.value !== undefined) logged.value = positiveZero(event.value);
  if (event.context !== undefined) logged.context = { ...event.context } as Context;
  return logged;
}

/** The error every call on a closed store rejects with. */
export function closedStoreError(url: string): TideError {
  return new TideError('STORAGE', `store ${url} is closed: open it again with openStore()`);
}

export function unknownModelError(id: string, known: readonly string[]): TideError {
  const list = known.length > 0 ? known.join(', ') : 'none registered';
  return new TideError('NOT_FOUND', `model "${id}" is not registered (known: ${list})`);
}
