/**
 * A Store in one SQLite file (better-sqlite3, WAL journal). Reads run on this thread's connection;
 * writes run on a writer thread's (writer.ts), each committed with synchronous=FULL, so a call
 * that resolved is on disk, and appends waiting together share one commit.
 */
import type { UserId } from '../../core/types.js';
import type { DeletionReport, Store } from '../ports.js';
import { SqliteConnection } from './connection.js';
import { SqliteEventLog } from './event-log.js';
import { SqliteItemStore } from './item-store.js';
import { SqliteModelRegistry } from './model-registry.js';
import { SqliteStateStore } from './state-store.js';
import { InThreadWriter, WorkerWriter, type Writer } from './writer.js';

/**
 * Opens (creating if needed) the SQLite store at `path`, a file path or `:memory:`.
 *
 * @throws TideError('STORAGE') naming the path when the file cannot be opened, is not a database,
 *   or was written by a newer Tide.
 * @example
 * const store = await openSqliteStore('./tide.db');
 * await store.events.append([{ userId: 'u1', itemId: 'i1', type: 'view' }]);
 * await store.close();
 */
export async function openSqliteStore(path: string, url = `sqlite://${path}`): Promise<Store> {
  // this connection creates and migrates the file before the writer thread opens it
  const connection = SqliteConnection.open(path, url);
  let writer: Writer;
  try {
    writer = path === ':memory:' ? new InThreadWriter(connection) : await WorkerWriter.start(path, url);
  } catch (error) {
    connection.close();
    throw error;
  }
  return {
    url,
    events: new SqliteEventLog(connection, writer),
    items: new SqliteItemStore(connection, writer),
    states: new SqliteStateStore(connection, writer),
    models: new SqliteModelRegistry(connection, writer),
    async deleteUser(userId: UserId): Promise<DeletionReport> {
      return writer.call('deleteUser', userId);
    },
    async close(): Promise<void> {
      await writer.close();
      connection.close();
    },
  };
}
