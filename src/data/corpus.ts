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

export function userLength(corpus: SequenceCorpus, u: number): number {
  return corpus.offsets[u + 1] - corpus.offsets[u];
}
