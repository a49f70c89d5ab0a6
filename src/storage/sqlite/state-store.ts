import type Database from 'better-sqlite3';
import type { UserId } from '../../core/types.js';
import type { InterestSnapshot, StateStore, UserStateRecord } from '../ports.js';
import { type SnapshotRow, STATE_COLUMNS, type StateRow, snapshotFromRow, stateFromRow } from '../rows.js';
import { validateLimit, validateSnapshots, validateStates } from '../validation.js';
import type { SqliteConnection } from './connection.js';
import type { Writer } from './writer.js';

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
      `SELECT ${STATE_COLUMNS} FROM user_states
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
      return row && stateFromRow(row);
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
      return newestFirst.reverse().map(snapshotFromRow);
    });
  }
}
