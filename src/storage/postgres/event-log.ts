import type { Event, UserId } from '../../core/types.js';
import type { AppendResult, EventLog, LoggedEvent } from '../ports.js';
import {
  EVENT_COLUMNS as COLUMNS,
  type EventRow,
  eventFromRow,
  type ReplyRow,
  replyFromRow as reply,
} from '../rows.js';
import { validateAfterSeq, validateEvents, validateIdempotencyKey, validateLimit } from '../validation.js';
import type { PostgresConnection } from './connection.js';

/**
 * The event log in `events`. Seqs come from the one-row `log_counter`, locked by each append until
 * it commits: appends from every server are serialised, so seqs commit in order and a reader that
 * has seen seq n has seen every seq below it.
 */
export class PostgresEventLog implements EventLog {
  constructor(private readonly connection: PostgresConnection) {}

  async append(events: readonly Event[], options?: { idempotencyKey?: string }): Promise<AppendResult> {
    validateEvents(events);
    const key = options?.idempotencyKey;
    validateIdempotencyKey(key);
    return this.connection.transaction(async (client) => {
      const [{ last_seq: before }] = (
        await client.query<{ last_seq: number }>('SELECT last_seq FROM log_counter WHERE id = 1 FOR UPDATE')
      ).rows;
      if (key !== undefined) {
        const seen = (
          await client.query<ReplyRow>('SELECT first_seq, last_seq, count FROM idempotency WHERE key = $1', [
            key,
          ])
        ).rows[0];
        if (seen) return reply(seen, true);
      }
      const receivedAt = Date.now();
      const firstSeq = events.length > 0 ? before + 1 : 0;
      const lastSeq = events.length > 0 ? before + events.length : 0;
      if (events.length > 0) {
        await client.query(
          `INSERT INTO events (${COLUMNS})
           SELECT * FROM unnest($1::bigint[], $2::text[], $3::text[], $4::text[], $5::float8[], $6::float8[], $7::text[])`,
          [
            events.map((_, n) => firstSeq + n),
            events.map((e) => e.userId),
            events.map((e) => e.itemId),
            events.map((e) => e.type),
            events.map((e) => e.value ?? null),
            events.map((e) => e.timestamp ?? receivedAt),
            events.map((e) => (e.context === undefined ? null : JSON.stringify(e.context))),
          ],
        );
        await client.query('UPDATE log_counter SET last_seq = $1 WHERE id = 1', [lastSeq]);
      }
      const result = { first_seq: firstSeq, last_seq: lastSeq, count: events.length };
      if (key !== undefined)
        await client.query(
          'INSERT INTO idempotency (key, first_seq, last_seq, count) VALUES ($1, $2, $3, $4)',
          [key, firstSeq, lastSeq, events.length],
        );
      return reply(result, false);
    });
  }

  async replyOf(idempotencyKey: string): Promise<AppendResult | undefined> {
    validateIdempotencyKey(idempotencyKey);
    const [row] = await this.connection.query<ReplyRow>(
      'SELECT first_seq, last_seq, count FROM idempotency WHERE key = $1',
      [idempotencyKey],
    );
    return row && reply(row, true);
  }

  async readUser(userId: UserId, options?: { afterSeq?: number; limit?: number }): Promise<LoggedEvent[]> {
    const afterSeq = options?.afterSeq ?? 0;
    const limit = options?.limit;
    validateAfterSeq(afterSeq);
    if (limit === undefined) {
      const rows = await this.connection.query<EventRow>(
        `SELECT ${COLUMNS} FROM events WHERE user_id = $1 AND seq > $2 ORDER BY seq`,
        [userId, afterSeq],
      );
      return rows.map(eventFromRow);
    }
    validateLimit(limit);
    // the newest `limit` rows come first from the index; put them back in log order
    const rows = await this.connection.query<EventRow>(
      `SELECT ${COLUMNS} FROM events WHERE user_id = $1 AND seq > $2 ORDER BY seq DESC LIMIT $3`,
      [userId, afterSeq, limit],
    );
    return rows.reverse().map(eventFromRow);
  }

  async scan(afterSeq: number, limit: number): Promise<LoggedEvent[]> {
    validateAfterSeq(afterSeq);
    validateLimit(limit);
    const rows = await this.connection.query<EventRow>(
      `SELECT ${COLUMNS} FROM events WHERE seq > $1 ORDER BY seq LIMIT $2`,
      [afterSeq, limit],
    );
    return rows.map(eventFromRow);
  }

  async lastSeq(): Promise<number> {
    const [row] = await this.connection.query<{ last_seq: number }>(
      'SELECT last_seq FROM log_counter WHERE id = 1',
    );
    return row.last_seq;
  }

  async count(): Promise<number> {
    const [row] = await this.connection.query<{ n: number }>('SELECT count(*) AS n FROM events');
    return row.n;
  }
}
