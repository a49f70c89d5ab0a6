import type { Event, UserId } from '../../core/types.js';
import type { AppendResult, EventLog, LoggedEvent } from '../ports.js';
import { loggedEvent } from '../records.js';
import { validateAfterSeq, validateEvents, validateIdempotencyKey, validateLimit } from '../validation.js';

/** Index of the first event with a seq above `afterSeq`, in an array sorted by seq. */
function firstAfter(events: readonly LoggedEvent[], afterSeq: number): number {
  let low = 0;
  let high = events.length;
  while (low < high) {
    const mid = (low + high) >>> 1;
    if (events[mid].seq <= afterSeq) low = mid + 1;
    else high = mid;
  }
  return low;
}

const copyEvent = (event: LoggedEvent): LoggedEvent => loggedEvent(event.seq, event, event.timestamp);

/** The log as arrays; seqs come from a counter that deletions never move back. */
export class MemoryEventLog implements EventLog {
  /** Every event in seq order, and the same objects grouped per user (also in seq order). */
  private readonly all: LoggedEvent[] = [];
  private readonly byUser = new Map<UserId, LoggedEvent[]>();
  private lastGiven = 0;
  private readonly replies = new Map<string, AppendResult>();

  constructor(private readonly ensureOpen: () => void) {}

  async append(events: readonly Event[], options?: { idempotencyKey?: string }): Promise<AppendResult> {
    this.ensureOpen();
    validateEvents(events);
    const key = options?.idempotencyKey;
    validateIdempotencyKey(key);
    const seen = key === undefined ? undefined : this.replies.get(key);
    if (seen) return { ...seen, replayed: true };
    const receivedAt = Date.now();
    const firstSeq = events.length > 0 ? this.lastGiven + 1 : 0;
    for (const event of events) {
      const logged = loggedEvent(++this.lastGiven, event, receivedAt);
      this.all.push(logged);
      const own = this.byUser.get(logged.userId);
      if (own) own.push(logged);
      else this.byUser.set(logged.userId, [logged]);
    }
    const lastSeq = events.length > 0 ? this.lastGiven : 0;
    const result: AppendResult = { firstSeq, lastSeq, count: events.length, replayed: false };
    if (key !== undefined) this.replies.set(key, result);
    return { ...result };
  }

  async replyOf(idempotencyKey: string): Promise<AppendResult | undefined> {
    this.ensureOpen();
    validateIdempotencyKey(idempotencyKey);
    const seen = this.replies.get(idempotencyKey);
    return seen && { ...seen, replayed: true };
  }

  async readUser(userId: UserId, options?: { afterSeq?: number; limit?: number }): Promise<LoggedEvent[]> {
    this.ensureOpen();
    const afterSeq = options?.afterSeq ?? 0;
    validateAfterSeq(afterSeq);
    if (options?.limit !== undefined) validateLimit(options.limit);
    const own = this.byUser.get(userId) ?? [];
    const from = firstAfter(own, afterSeq);
    const start = options?.limit === undefined ? from : Math.max(from, own.length - options.limit);
    return own.slice(start).map(copyEvent);
  }

  async scan(afterSeq: number, limit: number): Promise<LoggedEvent[]> {
    this.ensureOpen();
    validateAfterSeq(afterSeq);
    validateLimit(limit);
    const from = firstAfter(this.all, afterSeq);
    return this.all.slice(from, from + limit).map(copyEvent);
  }

  async lastSeq(): Promise<number> {
    this.ensureOpen();
    return this.lastGiven;
  }

  async count(): Promise<number> {
    this.ensureOpen();
    return this.all.length;
  }

  /** Removes a user's events (seqs are never given again) and returns how many there were. */
  removeUser(userId: UserId): number {
    const own = this.byUser.get(userId);
    if (!own) return 0;
    this.byUser.delete(userId);
    let kept = 0;
    for (const event of this.all) if (event.userId !== userId) this.all[kept++] = event;
    this.all.length = kept;
    return own.length;
  }
}
