/**
 * The bound on events waiting to be logged. Past it a write is refused at once (503 with
 * Retry-After) rather than queued: a traffic spike costs the excess a retry, not every client a
 * growing wait, and the memory held by waiting bodies stays bounded.
 */
import { ApiError } from './errors.js';

/** Seconds a refused client is told to wait before retrying. */
const RETRY_AFTER_SECONDS = 1;

export class WriteQueue {
  private waiting = 0;
  private refusedRequests = 0;

  constructor(private readonly maxEvents: number) {}

  /** Events admitted and not yet logged. */
  get queued(): number {
    return this.waiting;
  }

  /** Requests refused because the queue was full, since start. */
  get refused(): number {
    return this.refusedRequests;
  }

  /** Throws the refusal when the queue is full, before the request's body is read. */
  refuseWhenFull(): void {
    if (this.waiting >= this.maxEvents) throw this.overloaded();
  }

  private overloaded(): ApiError {
    this.refusedRequests++;
    // no stack: it is never shown, and under a flood capturing one per refusal costs the most
    const stackTraceLimit = Error.stackTraceLimit;
    Error.stackTraceLimit = 0;
    try {
      return new ApiError(
        'OVERLOADED',
        `the write queue is full (${this.waiting} events waiting, at most ${this.maxEvents}); retry after ${RETRY_AFTER_SECONDS} s`,
        { headers: { 'retry-after': String(RETRY_AFTER_SECONDS) } },
      );
    } finally {
      Error.stackTraceLimit = stackTraceLimit;
    }
  }

  /**
   * Runs `write` for `events` events when they fit (a batch alone in an empty queue always does).
   *
   * @throws ApiError('OVERLOADED') with a Retry-After header when they do not.
   */
  async run<T>(events: number, write: () => Promise<T>): Promise<T> {
    if (this.waiting > 0 && this.waiting + events > this.maxEvents) {
      throw this.overloaded();
    }
    this.waiting += events;
    try {
      return await write();
    } finally {
      this.waiting -= events;
    }
  }
}
