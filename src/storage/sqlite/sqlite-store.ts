/**
 * A Store in one SQLite file (better-sqlite3, WAL journal). Every write is one IMMEDIATE
 * transaction committed with synchronous=FULL, so a call that resolved is on disk.
 */
import type { UserId } from '../../core/types.js';
import type { DeletionReport, Store } from '../ports.js';
import { SqliteConnection } from './connection.js';
import { SqliteEventLog } from './event-log.js';
import { SqliteItemStore } from './item-store.js';
import { SqliteModelRegistry } from './model-registry.js';
import { SqliteStateStore } from './state-store.js';

/**
 * Opens (creating if needed) the SQLite store at `path`, a file path or `:memory:`.
 *
 * @throws TideError('STORAGE') naming the path when the file cannot be opened, is not a database,
 *   or was written by a newer Tide.
 * @example
 * const store = openSqliteStore('./tide.db');
 * await store.events.append([{ userId: 'u1', itemId: 'i1', type: 'view' }]);
 * await store.close();
 */
export function openSqliteStore(path: string, url = `sqlite://${path}`): Store {
  const connection = SqliteConnection.open(path, url);
  const db = connection.db;
  const deleteEvents = db.prepare<[string]>('DELETE FROM events WHERE user_id = ?');
  const deleteStates = db.prepare<[string]>('DELETE FROM user_states WHERE user_id = ?');
  const deleteSnapshots = db.prepare<[string]>('DELETE FROM snapshots WHERE user_id = ?');
  const deleteAll = db.transaction(
    (userId: string): DeletionReport => ({
      events: deleteEvents.run(userId).changes,
      states: deleteStates.run(userId).changes,
      snapshots: deleteSnapshots.run(userId).changes,
    }),
  );
  return {
    url,
    events: new SqliteEventLog(connection),
    items: new SqliteItemStore(connection),
    states: new SqliteStateStore(connection),
    models: new SqliteModelRegistry(connection),
    async deleteUser(userId: UserId): Promise<DeletionReport> {
      return connection.use(() => deleteAll.immediate(userId));
    },
    async close(): Promise<void> {
      connection.close();
    },
  };
}
