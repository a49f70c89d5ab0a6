/**
 * Two engines on one Postgres schema, as two `tide serve` processes on one database: an event
 * logged through either shows in the other's next answer, and the others' events reach popularity
 * and the states held in memory within the follow interval. Needs TIDE_TEST_POSTGRES_URL (see
 * src/storage/postgres/postgres.test.ts); without it the test is reported as skipped.
 */
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { servedModel } from '../../test/fixtures/served-model.js';
import { worldUserEvents } from '../../test/fixtures/server-app.js';
import { initBackend } from '../nn/backend.js';
import { openStore } from '../storage/open.js';
import { Engine } from './engine.js';
import { openServingModel } from './serving-model.js';

const SERVER = process.env.TIDE_TEST_POSTGRES_URL;
const SCHEMA = `tide_test_follow_${randomBytes(4).toString('hex')}`;

if (!SERVER) {
  describe('engines sharing a Postgres store', () => {
    it.skip('needs TIDE_TEST_POSTGRES_URL (a server to create schemas in; .ci/run starts one)', () =>
      undefined);
  });
} else {
  afterAll(async () => {
    const client = new pg.Client({ connectionString: SERVER });
    await client.connect();
    await client.query(`DROP SCHEMA IF EXISTS ${SCHEMA} CASCADE`);
    await client.end();
  });

  describe('engines sharing a Postgres store', () => {
    it("reflect each other's events in their next answers, and fold them in within the interval", async () => {
      await initBackend();
      const { dir, data } = await servedModel('sasrec');
      const url = new URL(SERVER);
      url.searchParams.set('schema', SCHEMA);
      const [storeA, storeB] = [await openStore(url.toString()), await openStore(url.toString())];
      await storeA.items.put([...data.catalog.values()]);
      await storeA.events.append(worldUserEvents(data, 0));
      const model = await openServingModel(dir);
      const followedByB: string[] = [];
      const options = { model, followLogMs: 50 };
      const a = await Engine.open({ ...options, store: storeA });
      const b = await Engine.open({
        ...options,
        store: storeB,
        onFollowed: (events) => void followedByB.push(...events.map((e) => `${e.userId}@${e.seq}`)),
      });

      // both hold user-0 in memory, then an event arrives through A only
      const before = await b.recommend('user-0', { k: 10 });
      await a.recommend('user-0', { k: 10 });
      const seqBefore = await storeA.events.lastSeq();
      const [next] = worldUserEvents(data, 1);
      await a.ingest([{ ...next, userId: 'user-0', timestamp: Date.now() }]);
      const afterB = await b.recommend('user-0', { k: 10 });
      expect(afterB.events).toBe(before.events + 1);
      expect(afterB).toEqual(await a.recommend('user-0', { k: 10 }));

      // a user B has never seen, and a user B holds, both written through A: B answers as A does
      await a.ingest(worldUserEvents(data, 2).map((e) => ({ ...e, userId: 'user-2' })));
      expect(await b.recommend('user-2', { k: 10 })).toEqual(await a.recommend('user-2', { k: 10 }));

      // popularity follows within the interval: a user without history gets the same popular items
      await new Promise((resolve) => setTimeout(resolve, 200));
      expect(await b.recommend('nobody', { k: 10 })).toEqual(await a.recommend('nobody', { k: 10 }));
      // and B announced what A logged (the dashboard's live stream listens)
      const byA = await storeA.events.scan(seqBefore, 10_000);
      expect(byA.length).toBeGreaterThan(1);
      expect(followedByB).toEqual(byA.map((e) => `${e.userId}@${e.seq}`));

      await Promise.all([a.close(), b.close()]);
      await Promise.all([storeA.close(), storeB.close()]);
    }, 120_000);
  });
}
