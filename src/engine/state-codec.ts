/**
 * User states as bytes for the StateStore. Items are stored by external id, so a state survives
 * changes of catalogue order; a state is only ever read back under the model that wrote it.
 */
import { EVENT_TYPES, type EventType } from '../core/types.js';
import type { Catalog } from './catalog.js';
import { UserState } from './user-state.js';

const VERSION = 1;

interface StoredState {
  v: number;
  events: number;
  appliedSeq: number;
  lastAt: number | null;
  window: { items: string[]; times: number[]; types: number[] };
  recent: { item: string; type: EventType; at: number }[];
  seen: [string, number][];
  hidden: number[] | null;
  textInterest: number[] | null;
}

/**
 * Encodes a state as UTF-8 JSON.
 *
 * @example
 * const bytes = encodeState(state, catalog);
 * const copy = decodeState('u1', bytes, catalog);
 */
export function encodeState(state: UserState, catalog: Catalog): Uint8Array {
  const stored: StoredState = {
    v: VERSION,
    events: state.events,
    appliedSeq: state.appliedSeq,
    lastAt: state.lastAt,
    window: {
      items: state.windowItems.map((index) => catalog.ids[index]),
      times: state.windowTimes,
      types: state.windowTypes,
    },
    recent: state.recent.map((e) => ({ item: catalog.ids[e.index], type: e.type, at: e.at })),
    seen: [...state.seen].map(([index, mask]) => [catalog.ids[index], mask]),
    hidden: state.hidden && Array.from(state.hidden),
    textInterest: state.textInterest && Array.from(state.textInterest),
  };
  return new TextEncoder().encode(JSON.stringify(stored));
}

/** Decodes `encodeState`'s bytes; null for another format version (the state is then rebuilt). */
export function decodeState(userId: string, bytes: Uint8Array, catalog: Catalog): UserState | null {
  const stored = JSON.parse(new TextDecoder().decode(bytes)) as StoredState;
  if (stored.v !== VERSION) return null;
  const state = new UserState(userId);
  state.events = stored.events;
  state.appliedSeq = stored.appliedSeq;
  state.lastAt = stored.lastAt;
  for (const [n, id] of stored.window.items.entries()) {
    const index = catalog.indexOf(id);
    // a window item the model no longer knows cannot be encoded: rebuild instead
    if (index === undefined || index >= catalog.warmCount) return null;
    state.windowItems.push(index);
    state.windowTimes.push(stored.window.times[n]);
    state.windowTypes.push(stored.window.types[n] ?? EVENT_TYPES.indexOf('view'));
  }
  for (const e of stored.recent) state.recent.push({ index: catalog.intern(e.item), type: e.type, at: e.at });
  for (const [id, mask] of stored.seen) state.seen.set(catalog.intern(id), mask);
  state.hidden = stored.hidden && Float32Array.from(stored.hidden);
  state.textInterest = stored.textInterest && Float32Array.from(stored.textInterest);
  return state;
}
