/**
 * Every write a SQLite store makes, on one connection: the connection of the writer thread (see
 * write-worker.ts), or the store's only connection for `:memory:`. Each call is one IMMEDIATE
 * transaction, except `appendGroup`, which commits many appends at once (group commit: one fsync).
 */
import type Database from 'better-sqlite3';
import { TideError } from '../../core/errors.js';
import type { Event, Item, UserId } from '../../core/types.js';
import type {
  AppendResult,
  DeletionReport,
  InterestSnapshot,
  ModelRecord,
  UserStateRecord,
} from '../ports.js';
import { unknownModelError } from '../records.js';

/** One caller's batch of events with its idempotency key. */
export interface AppendRequest {
  events: readonly Event[];
  key: string | undefined;
}

/** A TideError as it crosses a thread boundary (an Error loses its own fields there). */
export interface ErrorMessage {
  code: TideError['code'];
  message: string;
  location?: TideError['location'];
}

export type Outcome<T> = { ok: true; value: T } | { ok: false; error: ErrorMessage };

/** Binds the bytes without copying them (better-sqlite3 binds Buffers). */
const asBuffer = (bytes: Uint8Array): Buffer => Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);

/** A failure as TideError('STORAGE') naming the file, unless it already is a TideError. */
export function storageError(path: string, error: unknown): TideError {
  if (error instanceof TideError) return error;
  const reason = error instanceof Error ? error.message : String(error);
  return new TideError('STORAGE', `sqlite ${path}: ${reason}`, undefined, { cause: error });
}

export function toErrorMessage(error: TideError): ErrorMessage {
  return { code: error.code, message: error.message, ...(error.location && { location: error.location }) };
}

export function fromErrorMessage({ code, message, location }: ErrorMessage): TideError {
  return new TideError(code, message, location);
}

export class SqliteWrites {
  private readonly appendOne: (request: AppendRequest) => AppendResult;
  private readonly appendMany: (requests: readonly AppendRequest[]) => Outcome<AppendResult>[];
  private readonly putItemsAll: (items: readonly Item[]) => void;
  private readonly putStatesAll: (records: readonly UserStateRecord[]) => void;
  private readonly clearStatesOf: (modelId: string | undefined) => void;
  private readonly appendSnapshotsAll: (snapshots: readonly InterestSnapshot[]) => void;
  private readonly upsertModel: Database.Statement<[string, string, string, number, string]>;
  private readonly activateOnly: (id: string) => void;
  private readonly deleteAll: (userId: UserId) => DeletionReport;

  constructor(
    private readonly db: Database.Database,
    private readonly path: string,
  ) {
    const insertEvent = db.prepare<[string, string, string, number | null, number, string | null]>(
      'INSERT INTO events (user_id, item_id, type, value, timestamp, context) VALUES (?, ?, ?, ?, ?, ?)',
    );
    const findReply = db.prepare<[string], { first_seq: number; last_seq: number; count: number }>(
      'SELECT first_seq, last_seq, count FROM idempotency WHERE key = ?',
    );
    const saveReply = db.prepare<[string, number, number, number]>(
      'INSERT INTO idempotency (key, first_seq, last_seq, count) VALUES (?, ?, ?, ?)',
    );
    // Nested in appendGroup's transaction it runs in a savepoint: a failing batch undoes only itself.
    const append = db.transaction(({ events, key }: AppendRequest): AppendResult => {
      const seen = key === undefined ? undefined : findReply.get(key);
      if (seen)
        return { firstSeq: seen.first_seq, lastSeq: seen.last_seq, count: seen.count, replayed: true };
      const receivedAt = Date.now();
      let firstSeq = 0;
      let lastSeq = 0;
      for (const e of events) {
        const context = e.context === undefined ? null : JSON.stringify(e.context);
        const { lastInsertRowid } = insertEvent.run(
          e.userId,
          e.itemId,
          e.type,
          e.value ?? null,
          e.timestamp ?? receivedAt,
          context,
        );
        lastSeq = Number(lastInsertRowid);
        if (firstSeq === 0) firstSeq = lastSeq;
      }
      if (key !== undefined) saveReply.run(key, firstSeq, lastSeq, events.length);
      return { firstSeq, lastSeq, count: events.length, replayed: false };
    });
    // IMMEDIATE takes the write lock before reading the idempotency key, so two writers cannot both miss it.
    this.appendOne = (request) => append.immediate(request);
    const group = db.transaction((requests: readonly AppendRequest[]) =>
      requests.map((request): Outcome<AppendResult> => {
        try {
          return { ok: true, value: append(request) };
        } catch (error) {
          return { ok: false, error: toErrorMessage(storageError(path, error)) };
        }
      }),
    );
    this.appendMany = (requests) => group.immediate(requests);

    const upsertItem = db.prepare<[string, string]>(
      'INSERT OR REPLACE INTO items (item_id, json) VALUES (?, ?)',
    );
    const putItems = db.transaction((items: readonly Item[]) => {
      for (const item of items) upsertItem.run(item.itemId, JSON.stringify(item));
    });
    this.putItemsAll = (items) => putItems.immediate(items);

    const upsertState = db.prepare<[string, string, number, Buffer, number]>(
      `INSERT INTO user_states (user_id, model_id, applied_seq, state, updated_at) VALUES (?, ?, ?, ?, ?)
       ON CONFLICT (user_id, model_id) DO UPDATE SET applied_seq = excluded.applied_seq,
         state = excluded.state, updated_at = excluded.updated_at
       WHERE excluded.applied_seq >= user_states.applied_seq`,
    );
    const putStates = db.transaction((records: readonly UserStateRecord[]) => {
      for (const r of records)
        upsertState.run(r.userId, r.modelId, r.appliedSeq, asBuffer(r.state), r.updatedAt);
    });
    this.putStatesAll = (records) => putStates.immediate(records);
    const clearModel = db.prepare<[string]>('DELETE FROM user_states WHERE model_id = ?');
    const clearAll = db.prepare('DELETE FROM user_states');
    this.clearStatesOf = (modelId) => void (modelId === undefined ? clearAll.run() : clearModel.run(modelId));
    const insertSnapshot = db.prepare<[string, number, number, string]>(
      'INSERT INTO snapshots (user_id, at, seq, data) VALUES (?, ?, ?, ?)',
    );
    const appendSnapshots = db.transaction((snapshots: readonly InterestSnapshot[]) => {
      for (const s of snapshots) insertSnapshot.run(s.userId, s.at, s.seq, s.data);
    });
    this.appendSnapshotsAll = (snapshots) => appendSnapshots.immediate(snapshots);

    // Re-registering an id updates its record and keeps whether it is active.
    this.upsertModel = db.prepare(
      `INSERT INTO models (id, dir, family, created_at, metrics) VALUES (?, ?, ?, ?, ?)
       ON CONFLICT (id) DO UPDATE SET dir = excluded.dir, family = excluded.family,
         created_at = excluded.created_at, metrics = excluded.metrics`,
    );
    const ids = db.prepare<[], { id: string }>('SELECT id FROM models ORDER BY id');
    const exists = db.prepare<[string], { id: string }>('SELECT id FROM models WHERE id = ?');
    const deactivateOthers = db.prepare<[string]>(
      'UPDATE models SET active = 0 WHERE active = 1 AND id <> ?',
    );
    const activate = db.prepare<[string]>('UPDATE models SET active = 1 WHERE id = ?');
    // The old one goes off first: the unique index is checked row by row, not at commit.
    const activateModel = db.transaction((id: string) => {
      if (!exists.get(id))
        throw unknownModelError(
          id,
          ids.all().map((row) => row.id),
        );
      deactivateOthers.run(id);
      activate.run(id);
    });
    this.activateOnly = (id) => activateModel.immediate(id);

    const deleteEvents = db.prepare<[string]>('DELETE FROM events WHERE user_id = ?');
    const deleteStates = db.prepare<[string]>('DELETE FROM user_states WHERE user_id = ?');
    const deleteSnapshots = db.prepare<[string]>('DELETE FROM snapshots WHERE user_id = ?');
    const deleteUser = db.transaction(
      (userId: string): DeletionReport => ({
        events: deleteEvents.run(userId).changes,
        states: deleteStates.run(userId).changes,
        snapshots: deleteSnapshots.run(userId).changes,
      }),
    );
    this.deleteAll = (userId) => deleteUser.immediate(userId);
  }

  append(events: readonly Event[], key: string | undefined): AppendResult {
    return this.appendOne({ events, key });
  }

  /**
   * Appends many callers' batches in one transaction and one commit. Each batch is still all or
   * none (a savepoint each): one that fails gets its error and the others are kept.
   */
  appendGroup(requests: readonly AppendRequest[]): Outcome<AppendResult>[] {
    return this.appendMany(requests);
  }

  putItems(items: readonly Item[]): void {
    this.putItemsAll(items);
  }

  putStates(records: readonly UserStateRecord[]): void {
    this.putStatesAll(records);
  }

  clearStates(modelId: string | undefined): void {
    this.clearStatesOf(modelId);
  }

  appendSnapshots(snapshots: readonly InterestSnapshot[]): void {
    this.appendSnapshotsAll(snapshots);
  }

  registerModel({ id, dir, family, createdAt, metrics }: Omit<ModelRecord, 'active'>): void {
    this.upsertModel.run(id, dir, family, createdAt, JSON.stringify(metrics));
  }

  activateModel(id: string): void {
    this.activateOnly(id);
  }

  /**
   * Removes the user's rows, then copies the WAL into the file and truncates it. With
   * `secure_delete` on (connection.ts) the freed cells are zeroed, so after this returns neither
   * the file nor the WAL holds the user's id or events.
   */
  deleteUser(userId: UserId): DeletionReport {
    const report = this.deleteAll(userId);
    this.checkpoint();
    return report;
  }

  /** A TRUNCATE checkpoint, retried while a reader holds an old snapshot of the WAL. */
  private checkpoint(): void {
    if (this.path === ':memory:') return;
    for (let attempt = 0; attempt < 50; attempt++) {
      const [result] = this.db.pragma('wal_checkpoint(TRUNCATE)') as { busy: number }[];
      if (result.busy === 0) return;
      Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 20);
    }
    throw new TideError(
      'STORAGE',
      `sqlite ${this.path}: the WAL could not be emptied after a deletion (a reader kept it busy)`,
    );
  }
}

/** The write operations by name, as the writer thread and the in-thread writer call them. */
export type WriteName =
  | 'append'
  | 'putItems'
  | 'putStates'
  | 'clearStates'
  | 'appendSnapshots'
  | 'registerModel'
  | 'activateModel'
  | 'deleteUser';
export type WriteArgs<K extends WriteName> = Parameters<SqliteWrites[K]>;
export type WriteResult<K extends WriteName> = ReturnType<SqliteWrites[K]>;
