import type { UserId } from '../../core/types.js';
import type { InterestSnapshot, StateStore, UserStateRecord } from '../ports.js';
import { type SnapshotRow, STATE_COLUMNS, type StateRow, snapshotFromRow, stateFromRow } from '../rows.js';
import { validateLimit, validateSnapshots, validateStates } from '../validation.js';
import type { PostgresConnection } from './connection.js';

/** Online states in `user_states`, interest history in `snapshots`. */
export class PostgresStateStore implements StateStore {
  constructor(private readonly connection: PostgresConnection) {}

  async get(userId: UserId, modelId: string): Promise<UserStateRecord | undefined> {
    const [row] = await this.connection.query<StateRow>(
      `SELECT ${STATE_COLUMNS} FROM user_states
       WHERE user_id = $1 AND model_id = $2`,
      [userId, modelId],
    );
    return row && stateFromRow(row);
  }

  async put(records: readonly UserStateRecord[]): Promise<void> {
    validateStates(records);
    if (records.length === 0) return;
    await this.connection.transaction(async (client) => {
      for (const r of records) {
        await client.query(
          `INSERT INTO user_states (user_id, model_id, applied_seq, state, updated_at) VALUES ($1, $2, $3, $4, $5)
           ON CONFLICT (user_id, model_id) DO UPDATE SET applied_seq = excluded.applied_seq,
             state = excluded.state, updated_at = excluded.updated_at
           WHERE excluded.applied_seq >= user_states.applied_seq`,
          [
            r.userId,
            r.modelId,
            r.appliedSeq,
            Buffer.from(r.state.buffer, r.state.byteOffset, r.state.byteLength),
            r.updatedAt,
          ],
        );
      }
    });
  }

  async clear(modelId?: string): Promise<void> {
    if (modelId === undefined) await this.connection.query('DELETE FROM user_states');
    else await this.connection.query('DELETE FROM user_states WHERE model_id = $1', [modelId]);
  }

  async appendSnapshots(snapshots: readonly InterestSnapshot[]): Promise<void> {
    validateSnapshots(snapshots);
    if (snapshots.length === 0) return;
    // WITH ORDINALITY keeps the batch's order in the ids, the tiebreak between equal (at, seq)
    await this.connection.query(
      `INSERT INTO snapshots (user_id, at, seq, data)
       SELECT u, a, s, d FROM unnest($1::text[], $2::float8[], $3::bigint[], $4::text[]) WITH ORDINALITY AS t(u, a, s, d, n)
       ORDER BY n`,
      [
        snapshots.map((s) => s.userId),
        snapshots.map((s) => s.at),
        snapshots.map((s) => s.seq),
        snapshots.map((s) => s.data),
      ],
    );
  }

  async snapshots(userId: UserId, limit: number): Promise<InterestSnapshot[]> {
    validateLimit(limit);
    const rows = await this.connection.query<SnapshotRow>(
      `SELECT user_id, at, seq, data FROM snapshots
       WHERE user_id = $1 ORDER BY at DESC, seq DESC, id DESC LIMIT $2`,
      [userId, limit],
    );
    return rows.reverse().map(snapshotFromRow);
  }
}
