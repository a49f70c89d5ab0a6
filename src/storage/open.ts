import { TideError } from '../core/errors.js';
import { createMemoryStore } from './memory/index.js';
import type { Store } from './ports.js';

/** Opens one backend from the part of the URL after `scheme://`. */
type OpenBackend = (location: string, url: string) => Promise<Store>;

/**
 * Every backend Tide knows, by URL scheme. Adding one means adding a line here, nothing registers
 * itself on import. SQLite and Postgres are imported on first use, so `memory://` needs neither.
 */
const BACKENDS: Readonly<Record<string, OpenBackend>> = {
  memory: async (location, url) => {
    if (location !== '') throw badUrl(url, 'memory:// takes no path');
    return createMemoryStore(url);
  },
  postgres: async (_location, url) => {
    const { openPostgresStore } = await import('./postgres/index.js');
    return openPostgresStore(url);
  },
  postgresql: async (_location, url) => {
    const { openPostgresStore } = await import('./postgres/index.js');
    return openPostgresStore(url);
  },
  sqlite: async (location, url) => {
    if (location === '') throw badUrl(url, 'give a file path, as sqlite://./tide.db or sqlite://:memory:');
    const { openSqliteStore } = await import('./sqlite/index.js');
    return openSqliteStore(location, url);
  },
};

function badUrl(url: string, problem: string): TideError {
  const known = Object.keys(BACKENDS)
    .map((scheme) => `${scheme}://`)
    .join(', ');
  return new TideError('CONFIG', `store URL "${url}": ${problem} (known schemes: ${known})`);
}

/**
 * Opens the store a URL names: `memory://` (nothing kept), `sqlite://./tide.db` (relative to the
 * working directory), `sqlite:///var/lib/tide.db` (absolute), `sqlite://:memory:`, or
 * `postgres://user:password@host:5432/db?schema=tide` (several servers may share one).
 *
 * @throws TideError('CONFIG') for a malformed URL or an unknown scheme; TideError('STORAGE') naming
 *   the file when a SQLite file cannot be opened.
 * @example
 * const store = await openStore('sqlite://./tide.db');
 * const { lastSeq } = await store.events.append([{ userId: 'u1', itemId: 'i1', type: 'click' }]);
 * await store.close();
 */
export async function openStore(url: string): Promise<Store> {
  const match = typeof url === 'string' ? /^([a-z][a-z0-9+.-]*):\/\/(.*)$/i.exec(url) : null;
  if (!match) throw badUrl(String(url), 'expected scheme://location');
  const [, scheme, location] = match;
  const open = Object.hasOwn(BACKENDS, scheme.toLowerCase()) ? BACKENDS[scheme.toLowerCase()] : undefined;
  if (!open) throw badUrl(url, `unknown scheme "${scheme}"`);
  return open(location, url);
}
