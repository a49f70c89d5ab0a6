import type Database from 'better-sqlite3';
import type { Event, UserId } from '../../core/types.js';
import type { AppendResult, EventLog, LoggedEvent } from '../ports.js';
import {
  EVENT_COLUMNS as COLUMNS,
  type EventRow,
  eventFromRow,
  type ReplyRow,
  replyFromRow,
} from '../rows.js';
import { validateAfterSeq, validateEvents, validateIdempotencyKey, validateLimit } from '../validation.js';
import type { SqliteConnection } from './connection.js';
import type { Writer } from './writer.js';

/**
 * The event log in the `events` table; seqs are SQLite rowids, handed out by AUTOINCREMENT. Reads
 * run on the store's connection, appends go to its writer (see writer.ts).
 */
export class SqliteEventLog implements EventLog {
  private readonly userEvents: Database.Statement<[string, number], EventRow>;
  private readonly lastUserEvents: Database.Statement<[string, number, number], EventRow>;
  private readonly eventsAfter: Database.Statement<[number, number], EventRow>;
  private readonly lastGiven: Database.Statement<[], { seq: number }>;
  private readonly countEvents: Database.Statement<[], { n: number }>;
  private readonly findReply: Database.Statement<[string], ReplyRow>;

  constructor(
    private readonly connection: SqliteConnection,
    private readonly writer: Writer,
  ) {
    const db = connection.db;
    this.userEvents = db.prepare(`SELECT ${COLUMNS} FROM events WHERE user_id = ? AND seq > ? ORDER BY seq`);
    this.lastUserEvents = db.prepare(
      `SELECT ${COLUMNS} FROM events WHERE user_id = ? AND seq > ? ORDER BY seq DESC LIMIT ?`,
    );
    this.eventsAfter = db.prepare(`SELECT ${COLUMNS} FROM events WHERE seq > ? ORDER BY seq LIMIT ?`);
    // The AUTOINCREMENT counter, not MAX(seq): it does not go back when the newest events are deleted.
    this.lastGiven = db.prepare("SELECT seq FROM sqlite_sequence WHERE name = 'events'");
    this.countEvents = db.prepare('SELECT COUNT(*) AS n FROM events');
    this.findReply = db.prepare('SELECT first_seq, last_seq, count FROM idempotency WHERE key = ?');
  }

  async append(events: readonly Event[], options?: { idempotencyKey?: string }): Promise<AppendResult> {
    const key = options?.idempotencyKey;
    this.connection.use(() => {
      validateEvents(events);
      validateIdempotencyKey(key);
    });
    return this.writer.call('append', events, key);
  }

  async replyOf(idempotencyKey: string): Promise<AppendResult | undefined> {
    return this.connection.use(() => {
      validateIdempotencyKey(idempotencyKey);
      const row = this.findReply.get(idempotencyKey);
      return row && replyFromRow(row, true);
    });
  }

  async readUser(userId: UserId, options?: { afterSeq?: number; limit?: number }): Promise<LoggedEvent[]> {
    const afterSeq = options?.afterSeq ?? 0;
    const limit = options?.limit;
    return this.connection.use(() => {
      validateAfterSeq(afterSeq);
      if (limit === undefined) return this.userEvents.all(userId, afterSeq).map(eventFromRow);
      validateLimit(limit);
      // The newest `limit` rows come first from the index; put them back in log order.
      return this.lastUserEvents.all(userId, afterSeq, limit).reverse().map(eventFromRow);
    });
  }

  async scan(afterSeq: number, limit: number): Promise<LoggedEvent[]> {
    return this.connection.use(() => {
      validateAfterSeq(afterSeq);
      validateLimit(limit);
      return this.eventsAfter.all(afterSeq, limit).map(eventFromRow);
    });
  }

  async lastSeq(): Promise<number> {
    return this.connection.use(() => this.lastGiven.get()?.seq ?? 0);
  }

  async count(): Promise<number> {
    return this.connection.use(() => this.countEvents.get()!.n);
  }
}
