/**
 * The users the event log knows, for the dashboard's pick list: one small record per user, built by
 * scanning the log once and then following it from the last seq seen. The store has no user index,
 * so this is the bounded way to list users: each refresh reads only what was appended since, in
 * pages. When the log holds fewer events than were folded in, a user was deleted: the directory
 * starts over. It keeps the most recently active users up to a bound, so that a stream of new ids
 * cannot grow it without limit.
 */
import type { UserId } from '../core/types.js';
import type { EventLog } from '../storage/ports.js';

export interface UserSummary {
  userId: UserId;
  events: number;
  /** Time of the user's last event (ms). */
  lastEventAt: number;
}

const PAGE = 10_000;
const DEFAULT_MAX_USERS = 100_000;

/**
 * @example
 * const users = new UserDirectory(store.events);
 * const { users: found, total } = await users.search('42', 20);
 */
export class UserDirectory {
  /** In recency order: a user is moved to the end at each of their events. */
  private entries = new Map<UserId, UserSummary>();
  private afterSeq = 0;
  private folded = 0;
  private pending: Promise<void> | null = null;

  /** `maxUsers`: the most recently active users kept (older ones leave the list). */
  constructor(
    private readonly events: EventLog,
    private readonly maxUsers = DEFAULT_MAX_USERS,
  ) {}

  /** Catches up with the log; concurrent callers share one pass. */
  refresh(): Promise<void> {
    this.pending ??= this.catchUp().finally(() => {
      this.pending = null;
    });
    return this.pending;
  }

  /** Drops a deleted user at once (the log no longer holds them; a later event brings them back). */
  forget(userId: UserId): void {
    const entry = this.entries.get(userId);
    if (!entry) return;
    this.entries.delete(userId);
    this.folded -= entry.events;
  }

  /**
   * Users whose id contains `query` (case-insensitive; all when empty), an exact match first, then
   * the most recently active; `total` counts every match.
   */
  async search(query: string, limit: number): Promise<{ users: UserSummary[]; total: number }> {
    await this.refresh();
    const needle = query.toLowerCase();
    const matches: UserSummary[] = [];
    let exact: UserSummary | undefined;
    for (const entry of this.entries.values()) {
      if (needle !== '' && !entry.userId.toLowerCase().includes(needle)) continue;
      if (!exact && entry.userId.toLowerCase() === needle) exact = { ...entry };
      else matches.push(entry);
    }
    const total = matches.length + (exact ? 1 : 0);
    const newest = matches
      .slice(-limit)
      .reverse()
      .map((entry) => ({ ...entry }));
    return { users: (exact ? [exact, ...newest] : newest).slice(0, limit), total };
  }

  /** The `n` most recently active users, newest first. */
  async recent(n: number): Promise<UserId[]> {
    return (await this.search('', n)).users.map((u) => u.userId);
  }

  private async catchUp(): Promise<void> {
    if ((await this.events.count()) < this.folded) {
      this.entries = new Map();
      this.afterSeq = 0;
      this.folded = 0;
    }
    for (;;) {
      const page = await this.events.scan(this.afterSeq, PAGE);
      if (page.length === 0) return;
      for (const event of page) {
        const entry = this.entries.get(event.userId);
        this.entries.delete(event.userId);
        this.entries.set(event.userId, {
          userId: event.userId,
          events: (entry?.events ?? 0) + 1,
          lastEventAt: Math.max(entry?.lastEventAt ?? 0, event.timestamp),
        });
      }
      this.folded += page.length;
      this.afterSeq = page[page.length - 1].seq;
      // the least recently active first in the map's order; their events stay counted in
      // `folded`, as they stay in the log
      for (const userId of this.entries.keys()) {
        if (this.entries.size <= this.maxUsers) break;
        this.entries.delete(userId);
      }
    }
  }
}
