/**
 * Per-user event sequences in compressed-row layout over dense indices.
 * Events of user `u` are positions `offsets[u] .. offsets[u + 1] - 1`, in chronological order.
 */
export interface SequenceCorpus {
  readonly nUsers: number;
  readonly nItems: number;
  /** Length nUsers + 1. */
  readonly offsets: Int32Array;
  /** Dense item index of each event. */
  readonly items: Int32Array;
  /** Milliseconds since the epoch per event, or null when the data has no times. */
  readonly timestamps: Float64Array | null;
  /** Index into EVENT_TYPES per event. */
  readonly types: Uint8Array;
  /** Rating or other value per event (NaN when absent), or null when no event has one. */
  readonly values: Float32Array | null;
}

/** The item indices of user `u`, as a view (no copy). */
export function userItems(corpus: SequenceCorpus, u: number): Int32Array {
  return corpus.items.subarray(corpus.offsets[u], corpus.offsets[u + 1]);
}

/** The user of every event position. */
export function userOfEvents(corpus: SequenceCorpus): Int32Array {
  const out = new Int32Array(corpus.items.length);
  for (let u = 0; u < corpus.nUsers; u++) out.fill(u, corpus.offsets[u], corpus.offsets[u + 1]);
  return out;
}

export function userLength(corpus: SequenceCorpus, u: number): number {
  return corpus.offsets[u + 1] - corpus.offsets[u];
}

/** Events per item over the whole corpus. */
export function itemEventCounts(corpus: SequenceCorpus): Float64Array {
  const counts = new Float64Array(corpus.nItems);
  for (let p = 0; p < corpus.items.length; p++) counts[corpus.items[p]]++;
  return counts;
}

/** Number of distinct users who had each item. */
export function usersPerItem(corpus: SequenceCorpus): Float64Array {
  const counts = new Float64Array(corpus.nItems);
  const lastUser = new Int32Array(corpus.nItems).fill(-1);
  for (let u = 0; u < corpus.nUsers; u++) {
    for (let p = corpus.offsets[u]; p < corpus.offsets[u + 1]; p++) {
      const item = corpus.items[p];
      if (lastUser[item] !== u) {
        lastUser[item] = u;
        counts[item]++;
      }
    }
  }
  return counts;
}

/** Each user's distinct items, sorted ascending, in compressed-row layout (for membership tests). */
export function distinctUserItems(corpus: SequenceCorpus): { offsets: Int32Array; items: Int32Array } {
  const offsets = new Int32Array(corpus.nUsers + 1);
  const rows: Int32Array[] = [];
  for (let u = 0; u < corpus.nUsers; u++) {
    const row = Int32Array.from(new Set(userItems(corpus, u))).sort();
    rows.push(row);
    offsets[u + 1] = offsets[u] + row.length;
  }
  const items = new Int32Array(offsets[corpus.nUsers]);
  for (let u = 0; u < corpus.nUsers; u++) items.set(rows[u], offsets[u]);
  return { offsets, items };
}

/** True when the sorted array contains value. */
export function sortedHas(sorted: Int32Array, value: number): boolean {
  let lo = 0;
  let hi = sorted.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >>> 1;
    if (sorted[mid] === value) return true;
    if (sorted[mid] < value) lo = mid + 1;
    else hi = mid - 1;
  }
  return false;
}
