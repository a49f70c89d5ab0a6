import { join } from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { describeStoreContract, expectTideError, view } from '../../../test/contracts/store.js';
import { tempFiles } from '../../../test/fixtures/files.js';
import { SqliteConnection } from './connection.js';
import { SCHEMA_VERSION } from './schema.js';
import { openSqliteStore } from './sqlite-store.js';

const { dir, write } = tempFiles('tide-sqlite-');
let files = 0;
const freshPath = () => join(dir, `store-${++files}.db`);

// On files, not :memory:, so the WAL journal and fsyncs are what the contract exercises.
describeStoreContract('sqlite', async () => openSqliteStore(freshPath()));

/** Reads a pragma from the file through a separate connection, as another process would. */
function pragmaOf(path: string, pragma: string): unknown {
  const db = new Database(path, { readonly: true });
  try {
    return db.pragma(pragma, { simple: true });
  } finally {
    db.close();
  }
}

describe('sqlite store on disk', () => {
  it('keeps everything across close and reopen, idempotency keys included', async () => {
    const path = freshPath();
    const first = await openSqliteStore(path);
    const appended = await first.events.append([view('u1', 'i1'), view('u2', 'i2')], {
      idempotencyKey: 'req-1',
    });
    await first.items.put([{ itemId: 'i1', title: 'One' }]);
    await first.states.put([
      { userId: 'u1', modelId: 'm', appliedSeq: 2, state: Uint8Array.of(4, 2), updatedAt: 9 },
    ]);
    await first.states.appendSnapshots([{ userId: 'u1', at: 5, seq: 1, data: '{"a":1}' }]);
    await first.models.register({ id: 'm', dir: '/m', family: 'pop', createdAt: 1, metrics: { hr: 0.5 } });
    await first.models.activate('m');
    await first.close();

    const again = await openSqliteStore(path);
    expect(await again.events.scan(0, 10)).toStrictEqual([
      { ...view('u1', 'i1'), seq: 1 },
      { ...view('u2', 'i2'), seq: 2 },
    ]);
    const retry = await again.events.append([view('u1', 'i3')], { idempotencyKey: 'req-1' });
    expect(retry).toEqual({ ...appended, replayed: true });
    expect(await again.events.count()).toBe(2);
    expect(await again.items.get('i1')).toStrictEqual({ itemId: 'i1', title: 'One' });
    expect((await again.states.get('u1', 'm'))?.state).toStrictEqual(Uint8Array.of(4, 2));
    expect(await again.states.snapshots('u1', 5)).toHaveLength(1);
    expect((await again.models.active())?.id).toBe('m');
    await again.close();
  });

  it('writes in WAL mode with synchronous=FULL and records the schema version', () => {
    const path = freshPath();
    const connection = SqliteConnection.open(path, `sqlite://${path}`);
    expect(connection.db.pragma('synchronous', { simple: true })).toBe(2); // 2 = FULL
    expect(connection.db.pragma('foreign_keys', { simple: true })).toBe(1);
    connection.close();
    expect(pragmaOf(path, 'journal_mode')).toBe('wal');
    expect(pragmaOf(path, 'user_version')).toBe(SCHEMA_VERSION);
  });

  it('refuses a file written by a newer Tide, naming it', async () => {
    const path = freshPath();
    await (await openSqliteStore(path)).close();
    const db = new Database(path);
    db.pragma(`user_version = ${SCHEMA_VERSION + 1}`);
    db.close();
    const opening = async () => openSqliteStore(path);
    await expectTideError(opening(), 'STORAGE', `${path}: schema version ${SCHEMA_VERSION + 1} is newer`);
  });

  it('reports a file that cannot be opened as STORAGE, naming the path', async () => {
    const notADatabase = write('notes.db', 'this is a text file, not a database '.repeat(200));
    const missingDir = join(dir, 'no-such-dir', 'tide.db');
    for (const path of [notADatabase, missingDir]) {
      const opening = async () => openSqliteStore(path);
      await expectTideError(opening(), 'STORAGE', `cannot open sqlite store ${path}: `);
    }
  });

  it('rolls back a batch that SQLite fails halfway, and names the file', async () => {
    const path = freshPath();
    const store = await openSqliteStore(path);
    // Another connection plants a trigger that aborts the second insert of the batch.
    const saboteur = new Database(path);
    saboteur.exec(`CREATE TRIGGER boom BEFORE INSERT ON events WHEN NEW.item_id = 'boom'
      BEGIN SELECT RAISE(ABORT, 'planted failure'); END`);
    saboteur.close();
    const batch = [view('u1', 'ok'), view('u1', 'boom'), view('u1', 'ok2')];
    await expectTideError(
      store.events.append(batch, { idempotencyKey: 'k' }),
      'STORAGE',
      `sqlite ${path}: planted failure`,
    );
    expect(await store.events.count()).toBe(0);
    expect(await store.events.lastSeq()).toBe(0);
    // The key was rolled back too, so a retry without the bad event is appended.
    const retry = await store.events.append([view('u1', 'ok')], { idempotencyKey: 'k' });
    expect(retry).toEqual({ firstSeq: 1, lastSeq: 1, count: 1, replayed: false });
    await store.close();
  });
});
