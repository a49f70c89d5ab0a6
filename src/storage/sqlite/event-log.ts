import type Database from 'better-sqlite3';
import type { Event, EventType, UserId } from '../../core/types.js';
import type { AppendResult, EventLog, LoggedEvent } from '../ports.js';
import { validateAfterSeq, validateEvents, validateIdempotencyKey, validateLimit } from '../validation.js';
import type { SqliteConnection } from './connection.js';

interface EventRow {
  seq: number;
  user_id: string;
  item_id: string;
  type: string;
  value: number | null;
  timestamp: number;
  context: string | null;
}

interface ReplyRow {
  first_seq: number;
  last_seq: number;
  count: number;
}

const COLUMNS = 'seq, user_id, item_id, type, value, timestamp, context';

/** NULL columns become absent fields, so a read equals what was appended. */
function eventFromRow(row: EventRow): LoggedEvent {
  const event: { -readonly [K in keyof LoggedEvent]: LoggedEvent[K] } = {
    seq: row.seq,
    userId: row.user_id,
    itemId: row.item_id,
    type: row.type as EventType,
    timestamp: row.timestamp,
  };
  if (row.value !== null) event.value = row.value;
  if (row.context !== null) event.context = JSON.parse(row.context);
  return event;
}

/** The event log in the `events` table; seqs are SQLite rowids, handed out by AUTOINCREMENT. */
export class SqliteEventLog implements EventLog {
  private readonly insertEvent: Database.Statement<
    [string, string, string, number | null, number, string | null]
  >;
  private readonly findReply: Database.Statement<[string], ReplyRow>;
  private readonly saveReply: Database.Statement<[string, number, number, number]>;
  private readonly userEvents: Database.Statement<[string, number], EventRow>;
  private readonly lastUserEvents: Database.Statement<[string, number, number], EventRow>;
  private readonly eventsAfter: Database.Statement<[number, number], EventRow>;
  private readonly lastGiven: Database.Statement<[], { seq: number }>;
  private readonly countEvents: Database.Statement<[], { n: number }>;
  private readonly appendBatch: (events: readonly Event[], key: string | undefined) => AppendResult;

  constructor(private readonly connection: SqliteConnection) {
    const db = connection.db;
    this.insertEvent = db.prepare(
      'INSERT INTO events (user_id, item_id, type, value, timestamp, context) VALUES (?, ?, ?, ?, ?, ?)',
    );
    this.findReply = db.prepare('SELECT first_seq, last_seq, count FROM idempotency WHERE key = ?');
    this.saveReply = db.prepare(
      'INSERT INTO idempotency (key, first_seq, last_seq, count) VALUES (?, ?, ?, ?)',
    );
    this.userEvents = db.prepare(`SELECT ${COLUMNS} FROM events WHERE user_id = ? AND seq > ? ORDER BY seq`);
    this.lastUserEvents = db.prepare(
      `SELECT ${COLUMNS} FROM events WHERE user_id = ? AND seq > ? ORDER BY seq DESC LIMIT ?`,
    );
    this.eventsAfter = db.prepare(`SELECT ${COLUMNS} FROM events WHERE seq > ? ORDER BY seq LIMIT ?`);
    // The AUTOINCREMENT counter, not MAX(seq): it does not go back when the newest events are deleted.
    this.lastGiven = db.prepare("SELECT seq FROM sqlite_sequence WHERE name = 'events'");
    this.countEvents = db.prepare('SELECT COUNT(*) AS n FROM events');

    const transaction = db.transaction((events: readonly Event[], key: string | undefined): AppendResult => {
      const seen = key === undefined ? undefined : this.findReply.get(key);
      if (seen)
        return { firstSeq: seen.first_seq, lastSeq: seen.last_seq, count: seen.count, replayed: true };
      const receivedAt = Date.now();
      let firstSeq = 0;
      let lastSeq = 0;
      for (const e of events) {
        const context = e.context === undefined ? null : JSON.stringify(e.context);
        const { lastInsertRowid } = this.insertEvent.run(
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
      if (key !== undefined) this.saveReply.run(key, firstSeq, lastSeq, events.length);
      return { firstSeq, lastSeq, count: events.length, replayed: false };
    });
    // IMMEDIATE takes the write lock before reading the idempotency key, so two writers cannot both miss it.
    this.appendBatch = (events, key) => transaction.immediate(events, key);
  }

  async append(events: readonly Event[], options?: { idempotencyKey?: string }): Promise<AppendResult> {
    const key = options?.idempotencyKey;
    return this.connection.use(() => {
      validateEvents(events);
      validateIdempotencyKey(key);
      return this.appendBatch(events, key);
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
