/**
 * A Store held in Maps and arrays: for tests and `memory://`. It keeps the same semantics as the
 * SQLite backend (validation, seq numbering, JSON round trips of items) and copies records in and
 * out so callers can never mutate what it holds. Nothing survives `close()`.
 */
import type { UserId } from '../../core/types.js';
import type { DeletionReport, Store } from '../ports.js';
import { closedStoreError } from '../records.js';
import { MemoryEventLog } from './event-log.js';
import { MemoryItemStore } from './item-store.js';
import { MemoryModelRegistry } from './model-registry.js';
import { MemoryStateStore } from './state-store.js';

/**
 * Opens an empty in-memory store.
 *
 * @example
 * const store = createMemoryStore();
 * await store.events.append([{ userId: 'u1', itemId: 'i1', type: 'view' }]);
 */
export function createMemoryStore(url = 'memory://'): Store {
  let closed = false;
  const ensureOpen = (): void => {
    if (closed) throw closedStoreError(url);
  };
  const events = new MemoryEventLog(ensureOpen);
  const states = new MemoryStateStore(ensureOpen);
  return {
    url,
    events,
    items: new MemoryItemStore(ensureOpen),
    states,
    models: new MemoryModelRegistry(ensureOpen),
    async deleteUser(userId: UserId): Promise<DeletionReport> {
      ensureOpen();
      return { events: events.removeUser(userId), ...states.removeUser(userId) };
    },
    async close(): Promise<void> {
      closed = true;
    },
  };
}
