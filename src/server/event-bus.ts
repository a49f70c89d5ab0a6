/**
 * In-process notifications of ingested events, per user: the POST /events route publishes each
 * appended batch once the engine has folded it in, and the dashboard's event streams subscribe.
 * A listener that throws is detached and never breaks ingestion.
 */
import { EventEmitter } from 'node:events';
import type { Event, UserId } from '../core/types.js';

/** An event as published: what the client sent, numbered by the log. */
export interface PublishedEvent extends Event {
  seq: number;
  /** The sent time, else the publish time (the store's receive time is within milliseconds of it). */
  timestamp: number;
}

export type EventListener = (event: PublishedEvent) => void;

/**
 * A typed wrapper over an EventEmitter with one channel per user.
 *
 * @example
 * const bus = new EventBus();
 * const stop = bus.subscribe('u1', (e) => console.log(e.itemId, e.seq));
 * const result = await engine.ingest(events);
 * bus.publish(events, result); // after ingest resolved: the engine's state already holds them
 * stop();
 */
export class EventBus {
  private readonly emitter = new EventEmitter({ captureRejections: false });

  constructor() {
    // one listener per open dashboard stream; the streams themselves are bounded by the server
    this.emitter.setMaxListeners(0);
  }

  /**
   * Announces an appended batch; seqs run from `result.firstSeq` in batch order. A replayed batch
   * (a retried Idempotency-Key) appended nothing and is not announced.
   */
  publish(events: readonly Event[], result: { firstSeq: number; replayed: boolean }): void {
    if (result.replayed || events.length === 0) return;
    const now = Date.now();
    events.forEach((event, n) => {
      // most users have no dashboard open: nothing to build for them
      if (this.emitter.listenerCount(channel(event.userId)) === 0) return;
      const published: PublishedEvent = {
        ...event,
        seq: result.firstSeq + n,
        timestamp: event.timestamp ?? now,
      };
      this.emitter.emit(channel(event.userId), published);
    });
  }

  /** Announces events already numbered by the log (those another server appended). */
  publishLogged(events: readonly PublishedEvent[]): void {
    for (const event of events) {
      if (this.emitter.listenerCount(channel(event.userId)) === 0) continue;
      this.emitter.emit(channel(event.userId), { ...event });
    }
  }

  /** Calls `listener` for each event of `userId` published from now on; returns the unsubscribe. */
  subscribe(userId: UserId, listener: EventListener): () => void {
    const name = channel(userId);
    const safe = (event: PublishedEvent) => {
      try {
        listener(event);
      } catch {
        this.emitter.off(name, safe);
      }
    };
    this.emitter.on(name, safe);
    return () => void this.emitter.off(name, safe);
  }

  /** Announces that everything held about `userId` was deleted. */
  publishDeletion(userId: UserId): void {
    this.emitter.emit(DELETIONS, userId);
  }

  /** Calls `listener` with each user deleted from now on; returns the unsubscribe. */
  onDeletion(listener: (userId: UserId) => void): () => void {
    this.emitter.on(DELETIONS, listener);
    return () => void this.emitter.off(DELETIONS, listener);
  }

  /** Subscribers of one user (for tests and metrics). */
  listeners(userId: UserId): number {
    return this.emitter.listenerCount(channel(userId));
  }
}

const channel = (userId: UserId) => `user:${userId}`;
/** Not a user channel: those all start with "user:". */
const DELETIONS = 'deletions';
