import { z } from 'zod';
import type { SequenceCorpus } from './corpus.js';
import type { EventColumns } from './event-columns.js';

export const PreprocessConfig = z.object({
  /** What to do when a user has the same item more than once. */
  duplicates: z.enum(['keep', 'first', 'last', 'collapse-consecutive']).default('keep'),
  /** Items with fewer events are dropped (SASRec's rule: 5). */
  minItemEvents: z.number().int().min(1).default(5),
  /** Then users with fewer remaining events are dropped (SASRec's rule: 5). */
  minUserEvents: z.number().int().min(1).default(5),
  /** false: one pass (items, then users), as SASRec does; true: repeat until nothing changes. */
  iterativeCore: z.boolean().default(false),
});
export type PreprocessConfig = z.infer<typeof PreprocessConfig>;

export interface PreprocessReport {
  duplicatesRemoved: number;
  itemsRemoved: number;
  usersRemoved: number;
  eventsRemovedByCore: number;
}

/** The ordered, filtered corpus plus, for each dense index, the raw (ingest-time) index it came from. */
export interface PreprocessResult {
  corpus: SequenceCorpus;
  rawUserOf: Int32Array;
  rawItemOf: Int32Array;
  /** Index into the raw columns of each kept event, aligned with corpus.items. */
  rawEventOf: Int32Array;
  report: PreprocessReport;
}

/**
 * Orders each user's events by time (stable: ties keep arrival order; a user with any event
 * lacking a timestamp keeps arrival order), applies the duplicate policy and the k-core rule,
 * and renumbers users (order of first arrival) and items (order of first use in the output).
 */
export function preprocess(
  columns: EventColumns,
  rawUsers: number,
  config: PreprocessConfig,
): PreprocessResult {
  const order = orderByUserThenTime(columns, rawUsers);
  const userStarts = order.starts;
  const keep = applyDuplicatePolicy(columns, order.events, userStarts, config.duplicates);
  const duplicatesRemoved = columns.length - countTrue(keep);
  const keptBeforeCore = countTrue(keep);
  const rawItems = maxPlusOne(columns.items, columns.length);
  const itemDropped = new Uint8Array(rawItems);
  const userDropped = new Uint8Array(rawUsers);
  for (;;) {
    const changed = applyCore(columns, order.events, userStarts, keep, itemDropped, userDropped, config);
    if (!config.iterativeCore || !changed) break;
  }
  const result = renumber(columns, order.events, userStarts, keep, rawUsers);
  const report: PreprocessReport = {
    duplicatesRemoved,
    itemsRemoved: countTrue(itemDropped),
    usersRemoved: countUsersWithEventsDropped(userDropped, userStarts),
    eventsRemovedByCore: keptBeforeCore - result.corpus.items.length,
  };
  return { ...result, report };
}

/** Event positions grouped by user (counting sort), then by timestamp within a user. */
function orderByUserThenTime(
  columns: EventColumns,
  rawUsers: number,
): { events: Int32Array; starts: Int32Array } {
  const starts = new Int32Array(rawUsers + 1);
  for (let i = 0; i < columns.length; i++) starts[columns.users[i] + 1]++;
  for (let u = 0; u < rawUsers; u++) starts[u + 1] += starts[u];
  const fill = starts.slice(0, rawUsers);
  const events = new Int32Array(columns.length);
  for (let i = 0; i < columns.length; i++) events[fill[columns.users[i]]++] = i;
  const ts = columns.timestamps;
  for (let u = 0; u < rawUsers; u++) {
    const slice = events.subarray(starts[u], starts[u + 1]);
    if (!hasAllTimestamps(slice, ts) || isSortedByTime(slice, ts)) continue;
    slice.sort((a, b) => ts[a] - ts[b] || a - b);
  }
  return { events, starts };
}

function hasAllTimestamps(slice: Int32Array, ts: Float64Array): boolean {
  for (let i = 0; i < slice.length; i++) if (Number.isNaN(ts[slice[i]])) return false;
  return true;
}

function isSortedByTime(slice: Int32Array, ts: Float64Array): boolean {
  for (let i = 1; i < slice.length; i++) if (ts[slice[i]] < ts[slice[i - 1]]) return false;
  return true;
}

/** 1 per ordered position to keep. */
function applyDuplicatePolicy(
  columns: EventColumns,
  events: Int32Array,
  starts: Int32Array,
  policy: PreprocessConfig['duplicates'],
): Uint8Array {
  const keep = new Uint8Array(events.length).fill(1);
  if (policy === 'keep') return keep;
  const seen = new Set<number>();
  for (let u = 0; u + 1 < starts.length; u++) {
    seen.clear();
    const [from, to] = [starts[u], starts[u + 1]];
    if (policy === 'collapse-consecutive') {
      for (let p = from + 1; p < to; p++) {
        if (columns.items[events[p]] === columns.items[events[p - 1]]) keep[p] = 0;
      }
    } else if (policy === 'first') {
      for (let p = from; p < to; p++) {
        const item = columns.items[events[p]];
        if (seen.has(item)) keep[p] = 0;
        else seen.add(item);
      }
    } else {
      for (let p = to - 1; p >= from; p--) {
        const item = columns.items[events[p]];
        if (seen.has(item)) keep[p] = 0;
        else seen.add(item);
      }
    }
  }
  return keep;
}

/** One pass of the k-core rule; marks dropped items and users, clears `keep`. True when anything changed. */
function applyCore(
  columns: EventColumns,
  events: Int32Array,
  starts: Int32Array,
  keep: Uint8Array,
  itemDropped: Uint8Array,
  userDropped: Uint8Array,
  config: PreprocessConfig,
): boolean {
  let changed = false;
  const itemCount = new Int32Array(itemDropped.length);
  for (let p = 0; p < events.length; p++) if (keep[p]) itemCount[columns.items[events[p]]]++;
  for (let item = 0; item < itemCount.length; item++) {
    if (!itemDropped[item] && itemCount[item] > 0 && itemCount[item] < config.minItemEvents) {
      itemDropped[item] = 1;
      changed = true;
    }
  }
  for (let p = 0; p < events.length; p++) if (keep[p] && itemDropped[columns.items[events[p]]]) keep[p] = 0;
  for (let u = 0; u + 1 < starts.length; u++) {
    if (userDropped[u]) continue;
    let count = 0;
    for (let p = starts[u]; p < starts[u + 1]; p++) count += keep[p];
    if (count < config.minUserEvents) {
      userDropped[u] = 1;
      for (let p = starts[u]; p < starts[u + 1]; p++) keep[p] = 0;
      if (count > 0) changed = true;
    }
  }
  return changed;
}

function renumber(
  columns: EventColumns,
  events: Int32Array,
  starts: Int32Array,
  keep: Uint8Array,
  rawUsers: number,
): Omit<PreprocessResult, 'report'> {
  const kept = countTrue(keep);
  const denseItemOfRaw = new Int32Array(maxPlusOne(columns.items, columns.length)).fill(-1);
  const rawItemOf: number[] = [];
  const rawUserOf: number[] = [];
  const offsets: number[] = [0];
  const items = new Int32Array(kept);
  const rawEventOf = new Int32Array(kept);
  let at = 0;
  for (let u = 0; u < rawUsers; u++) {
    const before = at;
    for (let p = starts[u]; p < starts[u + 1]; p++) {
      if (!keep[p]) continue;
      const rawItem = columns.items[events[p]];
      if (denseItemOfRaw[rawItem] < 0) {
        denseItemOfRaw[rawItem] = rawItemOf.length;
        rawItemOf.push(rawItem);
      }
      items[at] = denseItemOfRaw[rawItem];
      rawEventOf[at++] = events[p];
    }
    if (at > before) {
      rawUserOf.push(u);
      offsets.push(at);
    }
  }
  const corpus: SequenceCorpus = {
    nUsers: rawUserOf.length,
    nItems: rawItemOf.length,
    offsets: Int32Array.from(offsets),
    items,
    timestamps: columns.timestampCount > 0 ? gather(columns.timestamps, rawEventOf, Float64Array) : null,
    types: gather(columns.types, rawEventOf, Uint8Array),
    values: columns.valueCount > 0 ? gather(columns.values, rawEventOf, Float32Array) : null,
  };
  return { corpus, rawUserOf: Int32Array.from(rawUserOf), rawItemOf: Int32Array.from(rawItemOf), rawEventOf };
}

function gather<T extends Float64Array | Float32Array | Uint8Array>(
  from: T,
  at: Int32Array,
  Kind: new (n: number) => T,
): T {
  const out = new Kind(at.length);
  for (let i = 0; i < at.length; i++) out[i] = from[at[i]];
  return out;
}

function countTrue(flags: Uint8Array): number {
  let n = 0;
  for (let i = 0; i < flags.length; i++) n += flags[i] ? 1 : 0;
  return n;
}

function maxPlusOne(values: Int32Array, length: number): number {
  let max = -1;
  for (let i = 0; i < length; i++) if (values[i] > max) max = values[i];
  return max + 1;
}

function countUsersWithEventsDropped(userDropped: Uint8Array, starts: Int32Array): number {
  let n = 0;
  for (let u = 0; u < userDropped.length; u++) if (userDropped[u] && starts[u + 1] > starts[u]) n++;
  return n;
}
