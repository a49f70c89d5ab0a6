import type Database from 'better-sqlite3';
import type { UserId } from '../../core/types.js';
import type { InterestSnapshot, StateStore, UserStateRecord } from '../ports.js';
import { validateLimit, validateSnapshots, validateStates } from '../validation.js';
import type { SqliteConnection } from './connection.js';

interface StateRow {
  user_id: string;
  model_id: string;
  applied_seq: number;
  state: Buffer;
  updated_at: number;
}

interface SnapshotRow {
  user_id: string;
  at: number;
  seq: number;
  data: string;
}

/** Binds the bytes without copying them (better-sqlite3 binds Buffers). */
const asBuffer = (bytes: Uint8Array): Buffer => Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);

/** Online states in `user_states`, interest history in `snapshots`. */
export class SqliteStateStore implements StateStore {
  private readonly byKey: Database.Statement<[string, string], StateRow>;
  private readonly upsert: Database.Statement<[string, string, number, Buffer, number]>;
  private readonly clearModel: Database.Statement<[string]>;
  private readonly clearAll: Database.Statement<[]>;
  private readonly insertSnapshot: Database.Statement<[string, number, number, string]>;
  private readonly lastSnapshots: Database.Statement<[string, number], SnapshotRow>;
  private readonly putBatch: (records: readonly UserStateRecord[]) => void;
  private readonly appendBatch: (snapshots: readonly InterestSnapshot[]) => void;

  constructor(private readonly connection: SqliteConnection) {
    const db = connection.db;
    this.byKey = db.prepare(
      `SELECT user_id, model_id, applied_seq, state, updated_at FROM user_states
       WHERE user_id = ? AND model_id = ?`,
    );
    this.upsert = db.prepare(
      `INSERT OR REPLACE INTO user_states (user_id, model_id, applied_seq, state, updated_at)
       VALUES (?, ?, ?, ?, ?)`,
    );
    this.clearModel = db.prepare('DELETE FROM user_states WHERE model_id = ?');
    this.clearAll = db.prepare('DELETE FROM user_states');
    this.insertSnapshot = db.prepare('INSERT INTO snapshots (user_id, at, seq, data) VALUES (?, ?, ?, ?)');
    this.lastSnapshots = db.prepare(
      `SELECT user_id, at, seq, data FROM snapshots
       WHERE user_id = ? ORDER BY at DESC, seq DESC, id DESC LIMIT ?`,
    );
    const putStates = db.transaction((records: readonly UserStateRecord[]) => {
      for (const r of records)
        this.upsert.run(r.userId, r.modelId, r.appliedSeq, asBuffer(r.state), r.updatedAt);
    });
    this.putBatch = (records) => putStates.immediate(records);
    const appendSnapshots = db.transaction((snapshots: readonly InterestSnapshot[]) => {
      for (const s of snapshots) this.insertSnapshot.run(s.userId, s.at, s.seq, s.data);
    });
    this.appendBatch = (snapshots) => appendSnapshots.immediate(snapshots);
  }

  async get(userId: UserId, modelId: string): Promise<UserStateRecord | undefined> {
    return this.connection.use(() => {
      const row = this.byKey.get(userId, modelId);
      if (!row) return undefined;
      return {
        userId: row.user_id,
        modelId: row.model_id,
        appliedSeq: row.applied_seq,
        // A plain Uint8Array, not the Buffer SQLite hands out, so it equals what was put.
        state: new Uint8Array(row.state),
        updatedAt: row.updated_at,
      };
    });
  }

  async put(records: readonly UserStateRecord[]): Promise<void> {
    this.connection.use(() => {
      validateStates(records);
      this.putBatch(records);
    });
  }

  async clear(modelId?: string): Promise<void> {
    this.connection.use(() => (modelId === undefined ? this.clearAll.run() : this.clearModel.run(modelId)));
  }

  async appendSnapshots(snapshots: readonly InterestSnapshot[]): Promise<void> {
    this.connection.use(() => {
      validateSnapshots(snapshots);
      this.appendBatch(snapshots);
    });
  }

  async snapshots(userId: UserId, limit: number): Promise<InterestSnapshot[]> {
    return this.connection.use(() => {
      validateLimit(limit);
      const newestFirst = this.lastSnapshots.all(userId, limit);
      return newestFirst
        .reverse()
        .map((row) => ({ userId: row.user_id, at: row.at, seq: row.seq, data: row.data }));
    });
  }
}
