import type pg from 'pg';
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

interface Pending {
  events: readonly Event[];
  key: string | undefined;
  resolve(result: AppendResult): void;
  reject(error: unknown): void;
}

/** One transaction for a group of appends: seqs after the counter (locked until commit), keys honoured. */
async function appendGroup(client: pg.PoolClient, group: readonly Pending[]): Promise<AppendResult[]> {
  const [{ last_seq: start }] = (
    await client.query<{ last_seq: number }>('SELECT last_seq FROM log_counter WHERE id = 1 FOR UPDATE')
  ).rows;
  const keys = group.flatMap((p) => (p.key === undefined ? [] : [p.key]));
  const seen = new Map<string, AppendResult>();
  if (keys.length > 0) {
    const rows = (
      await client.query<ReplyRow & { key: string }>(
        'SELECT key, first_seq, last_seq, count FROM idempotency WHERE key = ANY($1::text[])',
        [keys],
      )
    ).rows;
    for (const row of rows) seen.set(row.key, reply(row, true));
  }
  const receivedAt = Date.now();
  const rows: { seq: number; event: Event }[] = [];
  const replies: { key: string; result: AppendResult }[] = [];
  let last = start;
  const results = group.map(({ events, key }): AppendResult => {
    const earlier = key === undefined ? undefined : seen.get(key);
    if (earlier) return earlier;
    const firstSeq = events.length > 0 ? last + 1 : 0;
    for (const event of events) rows.push({ seq: ++last, event });
    const result = { firstSeq, lastSeq: events.length > 0 ? last : 0, count: events.length, replayed: false };
    if (key !== undefined) {
      // a second batch with this key in the same group is its replay
      seen.set(key, { ...result, replayed: true });
      replies.push({ key, result });
    }
    return result;
  });
  if (rows.length > 0) {
    await client.query(
      `INSERT INTO events (${COLUMNS})
       SELECT * FROM unnest($1::bigint[], $2::text[], $3::text[], $4::text[], $5::float8[], $6::float8[], $7::text[])`,
      [
        rows.map((r) => r.seq),
        rows.map((r) => r.event.userId),
        rows.map((r) => r.event.itemId),
        rows.map((r) => r.event.type),
        rows.map((r) => r.event.value ?? null),
        rows.map((r) => r.event.timestamp ?? receivedAt),
        rows.map((r) => (r.event.context === undefined ? null : JSON.stringify(r.event.context))),
      ],
    );
    await client.query('UPDATE log_counter SET last_seq = $1 WHERE id = 1', [last]);
  }
  if (replies.length > 0) {
    await client.query(
      `INSERT INTO idempotency (key, first_seq, last_seq, count)
       SELECT * FROM unnest($1::text[], $2::bigint[], $3::bigint[], $4::int[])`,
      [
        replies.map((r) => r.key),
        replies.map((r) => r.result.firstSeq),
        replies.map((r) => r.result.lastSeq),
        replies.map((r) => r.result.count),
      ],
    );
  }
  return results;
}

/**
 * The event log in `events`. Seqs come from the one-row `log_counter`, locked by each append until
 * it commits: appends from every server are serialised, so seqs commit in order and a reader that
 * has seen seq n has seen every seq below it.
 */
export class PostgresEventLog implements EventLog {
  /** Appends waiting for the next commit, and whether one is running. */
  private waiting: Pending[] = [];
  private committing = false;

  constructor(private readonly connection: PostgresConnection) {}

  /**
   * Appends waiting together share one transaction and one commit (group commit), each batch still
   * all or none: its seqs contiguous, its idempotency key checked and recorded with it.
   */
  async append(events: readonly Event[], options?: { idempotencyKey?: string }): Promise<AppendResult> {
    validateEvents(events);
    const key = options?.idempotencyKey;
    validateIdempotencyKey(key);
    return new Promise<AppendResult>((resolve, reject) => {
      this.waiting.push({ events, key, resolve, reject });
      if (!this.committing) void this.commitWaiting();
    });
  }

  /** Commits what is waiting, then what arrived meanwhile, until nothing waits. */
  private async commitWaiting(): Promise<void> {
    this.committing = true;
    try {
      while (this.waiting.length > 0) {
        const group = this.waiting;
        this.waiting = [];
        try {
          const results = await this.connection.transaction((client) => appendGroup(client, group));
          group.forEach((pending, n) => void pending.resolve(results[n]));
        } catch (error) {
          for (const pending of group) pending.reject(error);
        }
      }
    } finally {
      this.committing = false;
    }
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
