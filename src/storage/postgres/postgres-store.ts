/**
 * A Store in a Postgres database (node-postgres), in the schema the URL names (`?schema=`, default
 * public). Every write is one transaction, and an append resolved once it committed.
 */
import type { UserId } from '../../core/types.js';
import type { DeletionReport, Store } from '../ports.js';
import { PostgresConnection } from './connection.js';
import { PostgresEventLog } from './event-log.js';
import { PostgresItemStore } from './item-store.js';
import { PostgresModelRegistry } from './model-registry.js';
import { PostgresStateStore } from './state-store.js';

/**
 * Opens the store at `url` (`postgres://user:password@host:5432/db?schema=tide`), creating and
 * migrating its schema when needed.
 *
 * @throws TideError('STORAGE') naming the server when it cannot be reached or the schema was
 *   written by a newer Tide.
 * @example
 * const store = await openPostgresStore('postgres://tide:secret@localhost/tide');
 */
export async function openPostgresStore(url: string): Promise<Store> {
  const connection = await PostgresConnection.open(url);
  return {
    url: connection.shown,
    events: new PostgresEventLog(connection),
    items: new PostgresItemStore(connection),
    states: new PostgresStateStore(connection),
    models: new PostgresModelRegistry(connection),
    async deleteUser(userId: UserId): Promise<DeletionReport> {
      return connection.transaction(async (client) => ({
        events: (await client.query('DELETE FROM events WHERE user_id = $1', [userId])).rowCount ?? 0,
        states: (await client.query('DELETE FROM user_states WHERE user_id = $1', [userId])).rowCount ?? 0,
        snapshots: (await client.query('DELETE FROM snapshots WHERE user_id = $1', [userId])).rowCount ?? 0,
      }));
    },
    close: () => connection.close(),
  };
}
