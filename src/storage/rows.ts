/**
 * The table rows the SQL backends (SQLite, Postgres) share, and the records they read back as: one
 * mapping, so every backend answers field for field the same.
 */
import type { EventType } from '../core/types.js';
import type { AppendResult, InterestSnapshot, LoggedEvent, ModelRecord, UserStateRecord } from './ports.js';

export interface EventRow {
  seq: number;
  user_id: string;
  item_id: string;
  type: string;
  value: number | null;
  timestamp: number;
  context: string | null;
}

export const EVENT_COLUMNS = 'seq, user_id, item_id, type, value, timestamp, context';

/** -0 reads back as 0, as SQLite stores it. */
const positiveZero = (n: number): number => (n === 0 ? 0 : n);

/** NULL columns become absent fields, so a read equals what was appended. */
export function eventFromRow(row: EventRow): LoggedEvent {
  const event: { -readonly [K in keyof LoggedEvent]: LoggedEvent[K] } = {
    seq: row.seq,
    userId: row.user_id,
    itemId: row.item_id,
    type: row.type as EventType,
    timestamp: positiveZero(row.timestamp),
  };
  if (row.value !== null) event.value = positiveZero(row.value);
  if (row.context !== null) event.context = JSON.parse(row.context);
  return event;
}

export interface ReplyRow {
  first_seq: number;
  last_seq: number;
  count: number;
}

export const replyFromRow = (row: ReplyRow, replayed: boolean): AppendResult => ({
  firstSeq: row.first_seq,
  lastSeq: row.last_seq,
  count: row.count,
  replayed,
});

export interface StateRow {
  user_id: string;
  model_id: string;
  applied_seq: number;
  state: Uint8Array;
  updated_at: number;
}

export const STATE_COLUMNS = 'user_id, model_id, applied_seq, state, updated_at';

export const stateFromRow = (row: StateRow): UserStateRecord => ({
  userId: row.user_id,
  modelId: row.model_id,
  appliedSeq: row.applied_seq,
  // a plain Uint8Array, not the Buffer the driver hands out, so it equals what was put
  state: new Uint8Array(row.state),
  updatedAt: row.updated_at,
});

export interface SnapshotRow {
  user_id: string;
  at: number;
  seq: number;
  data: string;
}

export const snapshotFromRow = (row: SnapshotRow): InterestSnapshot => ({
  userId: row.user_id,
  at: row.at,
  seq: row.seq,
  data: row.data,
});

export interface ModelRow {
  id: string;
  dir: string;
  family: string;
  created_at: number;
  metrics: string;
  /** SQLite: 0 or 1; Postgres: a boolean. */
  active: number | boolean;
}

export const MODEL_COLUMNS = 'id, dir, family, created_at, metrics, active';

export const modelFromRow = (row: ModelRow): ModelRecord => ({
  id: row.id,
  dir: row.dir,
  family: row.family,
  createdAt: row.created_at,
  metrics: JSON.parse(row.metrics) as Record<string, number>,
  active: row.active === 1 || row.active === true,
});
