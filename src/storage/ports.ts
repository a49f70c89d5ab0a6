/**
 * The storage ports the engine sees: four small interfaces, one per kind of record, and a `Store`
 * that bundles them with the operations that span them (deleting a user, closing). Every method
 * is async so that network backends (Redis, Postgres) fit the same contract as SQLite.
 */
import type { Event, Item, ItemId, UserId } from '../core/types.js';

/** An event as the log keeps it: numbered in arrival order, with a time (the receive time if none was sent). */
export interface LoggedEvent extends Event {
  /** Position in the log, 1, 2, 3... strictly increasing, never reused. */
  readonly seq: number;
  readonly timestamp: number;
}

export interface AppendResult {
  /** Sequence numbers given to the batch (firstSeq..lastSeq); both 0 for an empty batch. */
  firstSeq: number;
  lastSeq: number;
  count: number;
  /** True when the idempotency key was seen before: nothing was appended, the first result is returned. */
  replayed: boolean;
}

/**
 * Append-only log of behaviour events. An append that resolved is durable.
 *
 * @example
 * const { lastSeq } = await store.events.append([{ userId: 'u1', itemId: 'i9', type: 'click' }], {
 *   idempotencyKey: requestId, // a retried request appends nothing and gets the first result back
 * });
 * const recent = await store.events.readUser('u1', { limit: 50 });
 */
export interface EventLog {
  /**
   * Appends a batch atomically (all or none). An invalid event rejects the whole batch with
   * TideError('INVALID_INPUT') naming it, as `events[3].type: "clik" is not one of view, ...`.
   */
  append(events: readonly Event[], options?: { idempotencyKey?: string }): Promise<AppendResult>;
  /**
   * The answer recorded for an idempotency key (as a retry would get it: `replayed: true`), or
   * undefined when no batch was appended with it; appends nothing.
   */
  replyOf(idempotencyKey: string): Promise<AppendResult | undefined>;
  /** One user's events in log order: those after `afterSeq`, and only the last `limit` when given. */
  readUser(userId: UserId, options?: { afterSeq?: number; limit?: number }): Promise<LoggedEvent[]>;
  /** Every event after `afterSeq` in log order, at most `limit`: for rebuilding states. */
  scan(afterSeq: number, limit: number): Promise<LoggedEvent[]>;
  /** The last sequence number given (0 when empty); deleting events never moves it back. */
  lastSeq(): Promise<number>;
  count(): Promise<number>;
}

/**
 * The catalogue. `put` inserts or replaces whole items.
 *
 * @example
 * await store.items.put([{ itemId: 'i9', title: 'Tide tables', categories: ['books'] }]);
 * for (let page = await store.items.list(undefined, 500); page.length > 0; ) {
 *   page = await store.items.list(page[page.length - 1].itemId, 500);
 * }
 */
export interface ItemStore {
  put(items: readonly Item[]): Promise<void>;
  get(itemId: ItemId): Promise<Item | undefined>;
  /**
   * Items in id order (Unicode code point order, as SQLite compares text) after `afterItemId`
   * (exclusive; it need not exist), at most `limit`: for paging through all.
   */
  list(afterItemId: ItemId | undefined, limit: number): Promise<Item[]>;
  count(): Promise<number>;
}

/** A user's online state under one model, as opaque bytes the engine encodes. */
export interface UserStateRecord {
  userId: UserId;
  modelId: string;
  /** The last event (log seq) folded into the state. */
  appliedSeq: number;
  state: Uint8Array;
  updatedAt: number;
}

/** A point of a user's interest history (category shares, facets, a...), as JSON the engine writes. */
export interface InterestSnapshot {
  userId: UserId;
  /** Time of the event that produced it (ms). */
  at: number;
  seq: number;
  data: string;
}

/**
 * Derived per-user records: the online state and the interest history.
 *
 * @example
 * const record = await store.states.get('u1', 'sasrec-2024-06-01');
 * // Fold in what came after the state: events.readUser('u1', { afterSeq })
 * const afterSeq = record?.appliedSeq ?? 0;
 */
export interface StateStore {
  get(userId: UserId, modelId: string): Promise<UserStateRecord | undefined>;
  /**
   * Writes states; a record never replaces one with a higher `appliedSeq` (a server's stale copy
   * must not undo what another folded in).
   */
  put(records: readonly UserStateRecord[]): Promise<void>;
  /** Drops every state of a model (before a rebuild), or all states when no model is given. */
  clear(modelId?: string): Promise<void>;
  appendSnapshots(snapshots: readonly InterestSnapshot[]): Promise<void>;
  /** A user's snapshots in time order (ties by seq, then arrival), the last `limit` of them. */
  snapshots(userId: UserId, limit: number): Promise<InterestSnapshot[]>;
}

export interface ModelRecord {
  id: string;
  /** Directory of the saved model. */
  dir: string;
  family: string;
  createdAt: number;
  metrics: Record<string, number>;
  active: boolean;
}

/**
 * Which saved models exist and which one serves.
 *
 * @example
 * const saved = { id: 'm7', dir: 'models/m7', family: 'sasrec', createdAt: Date.now() };
 * await store.models.register({ ...saved, metrics: { 'NDCG@10': 0.31 } });
 * await store.models.activate('m7');
 */
export interface ModelRegistry {
  /** Adds a model; registering an id again updates its record and keeps whether it is active. */
  register(record: Omit<ModelRecord, 'active'>): Promise<void>;
  /** Every model, oldest first (by createdAt, then id). */
  list(): Promise<ModelRecord[]>;
  active(): Promise<ModelRecord | undefined>;
  /** Makes one model the active one (exactly one is active afterwards); NOT_FOUND for an unknown id. */
  activate(id: string): Promise<void>;
}

/** What deleting a user removed. */
export interface DeletionReport {
  events: number;
  states: number;
  snapshots: number;
}

/**
 * One opened backend: the four ports plus the operations across them.
 *
 * @example
 * const store = await openStore('sqlite://./tide.db');
 * try {
 *   const removed = await store.deleteUser('u1'); // { events, states, snapshots }
 * } finally {
 *   await store.close();
 * }
 */
export interface Store {
  readonly url: string;
  readonly events: EventLog;
  readonly items: ItemStore;
  readonly states: StateStore;
  readonly models: ModelRegistry;
  /** Removes the user's events, states and snapshots in one transaction. */
  deleteUser(userId: UserId): Promise<DeletionReport>;
  /** Releases the backend; closing twice is harmless, other calls afterwards reject with STORAGE. */
  close(): Promise<void>;
}
