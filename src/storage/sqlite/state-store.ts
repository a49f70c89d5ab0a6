import type Database from 'better-sqlite3';
import type { UserId } from '../../core/types.js';
import type { InterestSnapshot, StateStore, UserStateRecord } from '../ports.js';
import { validateLimit, validateSnapshots, validateStates } from '../validation.js';
import type { SqliteConnection } from './connection.js';
import type { Writer } from './writer.js';

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

/** Online states in `user_states`, interest history in `snapshots`. */
export class SqliteStateStore implements StateStore {
  private readonly byKey: Database.Statement<[string, string], StateRow>;
  private readonly lastSnapshots: Database.Statement<[string, number], SnapshotRow>;

  constructor(
    private readonly connection: SqliteConnection,
    private readonly writer: Writer,
  ) {
    const db = connection.db;
    this.byKey = db.prepare(
      `SELECT user_id, model_id, applied_seq, state, updated_at FROM user_states
       WHERE user_id = ? AND model_id = ?`,
    );
    this.lastSnapshots = db.prepare(
      `SELECT user_id, at, seq, data FROM snapshots
       WHERE user_id = ? ORDER BY at DESC, seq DESC, id DESC LIMIT ?`,
    );
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
    this.connection.use(() => validateStates(records));
    await this.writer.call('putStates', records);
  }

  async clear(modelId?: string): Promise<void> {
    await this.writer.call('clearStates', modelId);
  }

  async appendSnapshots(snapshots: readonly InterestSnapshot[]): Promise<void> {
    this.connection.use(() => validateSnapshots(snapshots));
    await this.writer.call('appendSnapshots', snapshots);
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
