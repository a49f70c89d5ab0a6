/**
 * The store contract on a real Postgres server, each test in a fresh schema. The server comes from
 * TIDE_TEST_POSTGRES_URL (`.ci/run` starts one and sets it); without it these tests are reported
 * as skipped, with the reason in their names.
 */
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { describeStoreContract, expectTideError, view } from '../../../test/contracts/store.js';
import { openStore } from '../open.js';
import { openPostgresStore } from './postgres-store.js';
import { SCHEMA_VERSION } from './schema.js';

const SERVER = process.env.TIDE_TEST_POSTGRES_URL;
const PREFIX = `tide_test_${randomBytes(4).toString('hex')}`;
let schemas = 0;

/** A URL for a schema of its own, dropped after the file's tests. */
function freshUrl(): string {
  const url = new URL(SERVER!);
  url.searchParams.set('schema', `${PREFIX}_${++schemas}`);
  return url.toString();
}

async function sql(text: string, values: unknown[] = []): Promise<pg.QueryResult> {
  const client = new pg.Client({ connectionString: SERVER });
  await client.connect();
  try {
    return await client.query(text, values);
  } finally {
    await client.end();
  }
}

if (!SERVER) {
  describe('postgres store', () => {
    it.skip('needs TIDE_TEST_POSTGRES_URL (a server to create schemas in; .ci/run starts one)', () =>
      undefined);
  });
} else {
  afterAll(async () => {
    const { rows } = await sql('SELECT nspname FROM pg_namespace WHERE nspname LIKE $1', [`${PREFIX}%`]);
    for (const { nspname } of rows as { nspname: string }[]) await sql(`DROP SCHEMA ${nspname} CASCADE`);
  });

  describeStoreContract('postgres', async () => openStore(freshUrl()));

  describe('postgres store', () => {
    it('keeps everything across close and reopen, and never shows the password', async () => {
      const url = freshUrl();
      const first = await openPostgresStore(url);
      expect(first.url).not.toContain(new URL(SERVER).password || 'no password');
      await first.events.append([view('u1', 'a'), view('u2', 'b')], { idempotencyKey: 'k1' });
      await first.items.put([{ itemId: 'a', title: 'A' }]);
      await first.close();
      const again = await openPostgresStore(url);
      expect(await again.events.count()).toBe(2);
      expect(await again.events.lastSeq()).toBe(2);
      expect((await again.events.append([view('u1', 'c')], { idempotencyKey: 'k1' })).replayed).toBe(true);
      expect(await again.items.get('a')).toEqual({ itemId: 'a', title: 'A' });
      await again.close();
    });

    it('gives two stores on one schema one log: concurrent appends get distinct, gapless seqs', async () => {
      const url = freshUrl();
      const [a, b] = [await openPostgresStore(url), await openPostgresStore(url)];
      const results = await Promise.all(
        Array.from({ length: 40 }, (_, n) =>
          (n % 2 ? a : b).events.append([view(`u${n}`, 'x'), view(`u${n}`, 'y')]),
        ),
      );
      const seqs = results.flatMap((r) => [r.firstSeq, r.lastSeq]).sort((x, y) => x - y);
      expect(seqs).toEqual(Array.from({ length: 80 }, (_, n) => n + 1));
      expect((await b.events.scan(0, 1000)).map((e) => e.seq)).toEqual(seqs);
      await Promise.all([a.close(), b.close()]);
    });

    it('commits appends that wait together as one group, each batch whole, a key used twice replayed', async () => {
      const store = await openPostgresStore(freshUrl());
      const [first, again, other] = await Promise.all([
        store.events.append([view('u1', 'a'), view('u1', 'b')], { idempotencyKey: 'same' }),
        store.events.append([view('u2', 'c')], { idempotencyKey: 'same' }),
        store.events.append([view('u3', 'd')]),
      ]);
      expect(first).toEqual({ firstSeq: 1, lastSeq: 2, count: 2, replayed: false });
      expect(again).toEqual({ ...first, replayed: true });
      expect(other).toEqual({ firstSeq: 3, lastSeq: 3, count: 1, replayed: false });
      expect((await store.events.scan(0, 10)).map((e) => e.itemId)).toEqual(['a', 'b', 'd']);
      await store.close();
    });

    it('refuses a schema written by a newer Tide, naming the server', async () => {
      const url = freshUrl();
      await (await openPostgresStore(url)).close();
      const schema = new URL(url).searchParams.get('schema')!;
      await sql(`UPDATE ${schema}.tide_schema SET version = $1`, [SCHEMA_VERSION + 1]);
      await expectTideError(openPostgresStore(url), 'STORAGE', /newer than this Tide knows/);
    });

    it('reports a server it cannot reach as STORAGE, without the password', async () => {
      const error = await openPostgresStore('postgres://tide:hunter2@127.0.0.1:1/nowhere').catch(
        (e: unknown) => e,
      );
      expect(String((error as Error).message)).toMatch(/127\.0\.0\.1:1/);
      expect(String((error as Error).message)).not.toContain('hunter2');
    });
  });
}
