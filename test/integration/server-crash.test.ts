/**
 * Crash safety of `tide serve` on SQLite: 10,000 events streamed over HTTP by concurrent clients,
 * the server killed with SIGKILL three times under that load, restarted on the same file each time. Every acknowledged batch must
 * be in the log at its acknowledged sequence numbers; the unacknowledged batches, resent with their
 * Idempotency-Keys, must land exactly once; and the restarted server's user states (stored states
 * caught up with the log) must answer as states rebuilt from the log alone.
 */
import type { ChildProcess } from 'node:child_process';
import { copyFile, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TideClient } from '../../src/client/index.js';
import { Rng } from '../../src/core/random.js';
import type { Event } from '../../src/core/types.js';
import { Engine } from '../../src/engine/engine.js';
import { openServingModel } from '../../src/engine/serving-model.js';
import { openStore } from '../../src/storage/open.js';
import { exited, type RunningServe, serveWorkspace, startServe } from '../fixtures/tide-serve.js';

const KEY = 'crash-test-key';
const TOTAL = 10_000;
const SENDERS = 4;

interface Batch {
  key: string;
  events: Event[];
}
interface Ack {
  batch: Batch;
  firstSeq: number;
  lastSeq: number;
}

let dir: string;
let modelDir: string;
const running = new Set<ChildProcess>();

/** Starts `tide serve` on `db` and resolves once it listens. */
function serve(db: string): Promise<RunningServe> {
  return startServe({ db, worldDir: join(dir, 'world'), modelDir, cwd: dir, apiKey: KEY, running });
}

/** Sends batches from a shared queue with a few concurrent clients until the queue is empty or `stop()`. */
async function stream(url: string, queue: Batch[], acks: Ack[], onAck: () => void): Promise<Batch[]> {
  const failed: Batch[] = [];
  // no retries: a batch the server did not acknowledge is resent to the next server by the test
  const client = new TideClient({ baseUrl: url, apiKey: KEY, retries: 0 });
  const sender = async () => {
    for (let batch = queue.shift(); batch; batch = queue.shift()) {
      try {
        const body = await client.postEvents(batch.events, { idempotencyKey: batch.key });
        acks.push({ batch, firstSeq: body.firstSeq, lastSeq: body.lastSeq });
        onAck();
      } catch {
        failed.push(batch);
        return;
      }
    }
  };
  await Promise.all(Array.from({ length: SENDERS }, sender));
  return failed;
}

beforeAll(async () => {
  ({ dir, modelDir } = await serveWorkspace('tide-server-crash-'));
}, 180_000);

afterAll(() => {
  for (const child of running) child.kill('SIGKILL');
});

describe('one tide serve per SQLite file', () => {
  it('refuses a second server on the same file, naming the first; after a clean stop the file is free', async () => {
    const db = join(dir, 'one-writer.db');
    const first = await serve(db);
    await expect(serve(db)).rejects.toThrow(
      new RegExp(`is served by another process \\(pid ${first.child.pid} `),
    );
    first.child.kill('SIGTERM');
    await exited(first.child);
    const again = await serve(db);
    again.child.kill('SIGTERM');
    await exited(again.child);
  }, 180_000);
});

describe('tide serve after kill -9', () => {
  it('keeps every acknowledged event, lands resent batches once, and rebuilds the same states', async () => {
    const lines = (await readFile(join(dir, 'world', 'events.jsonl'), 'utf8')).trim().split('\n');
    const world = lines.map((line) => JSON.parse(line) as Event);
    const worldUsers = [...new Set(world.map((e) => e.userId))];
    const items = [...new Set(world.map((e) => e.itemId))];
    const rng = new Rng(99);
    const users = [...worldUsers.slice(0, 150), ...Array.from({ length: 150 }, (_, n) => `new-user-${n}`)];
    const batches: Batch[] = [];
    // a second apart, ending before now (the server refuses times past its clock)
    const firstAt = Date.now() - TOTAL * 1000;
    for (let sent = 0, n = 0; sent < TOTAL; n++) {
      const size = Math.min(rng.int(1, 120), TOTAL - sent);
      const events = Array.from({ length: size }, (_, i) => ({
        userId: rng.pick(users),
        itemId: rng.pick(items),
        type: rng.pick(['view', 'click', 'purchase'] as const),
        timestamp: firstAt + (sent + i) * 1000,
      }));
      batches.push({ key: `crash-batch-${n}`, events });
      sent += size;
    }

    const db = join(dir, 'tide.db');
    const first = await serve(db);
    const imported = world.length;
    const acks: Ack[] = [];
    // distinct batches: a batch resent after a crash may be acknowledged twice (the second a replay)
    const countAcked = () => [...new Set(acks.map((a) => a.batch))].reduce((n, b) => n + b.events.length, 0);
    // phase 1: 4,000 events, then time for the engine's 1 s flush to store states
    const queue = batches.slice();
    const firstPart: Batch[] = [];
    while (firstPart.reduce((n, b) => n + b.events.length, 0) < 4000) firstPart.push(queue.shift()!);
    expect(await stream(first.url, firstPart, acks, () => undefined)).toEqual([]);
    await new Promise((resolve) => setTimeout(resolve, 1500));
    // phase 2: concurrent batches; the server killed with requests in flight three times, once
    // 5,500, 7,000 and 8,500 events are acknowledged, and restarted on the file each time
    const model = await openServingModel(modelDir);
    let server = first;
    let resend: Batch[] = [];
    for (const [round, target] of [5500, 7000, 8500].entries()) {
      if (round > 0) server = await serve(db);
      const work = [...resend, ...queue.splice(0)];
      const running = server;
      resend = await stream(running.url, work, acks, () => {
        if (countAcked() >= target && running.child.exitCode === null) running.child.kill('SIGKILL');
      });
      queue.push(...work); // not sent before the kill
      await exited(running.child);
      expect(running.child.signalCode).toBe('SIGKILL');
      expect(countAcked()).toBeGreaterThanOrEqual(target);
      expect(countAcked()).toBeLessThan(TOTAL);
      expect(resend.length).toBeGreaterThan(0); // requests were in flight

      // the file as the crash left it: every acknowledged batch at its sequence numbers
      const crashed = await openStore(`sqlite://${db}`);
      for (const ack of acks) {
        expect(ack.lastSeq - ack.firstSeq + 1).toBe(ack.batch.events.length);
        const logged = await crashed.events.scan(ack.firstSeq - 1, ack.batch.events.length);
        expect(logged.map(({ seq, ...e }) => e)).toEqual(ack.batch.events);
      }
      if (round === 0) {
        // stored states exist, and some lag the log: the restart has to catch them up
        let stored = 0;
        let behind = 0;
        for (const user of users) {
          const record = await crashed.states.get(user, model.id);
          const last = (await crashed.events.readUser(user, { limit: 1 }))[0]?.seq ?? 0;
          if (record) stored++;
          if (record && record.appliedSeq < last) behind++;
        }
        expect(stored).toBeGreaterThan(0);
        expect(behind).toBeGreaterThan(0);
      }
      await crashed.close();
    }

    const second = await serve(db);
    const resent = [...resend, ...queue];
    const secondAcks: Ack[] = [];
    expect(await stream(second.url, resent, secondAcks, () => undefined)).toEqual([]);
    expect(resent).toEqual([]);
    const sample = rng.shuffle(users).slice(0, 40);
    const answers = new Map<string, unknown>();
    const tide = new TideClient({ baseUrl: second.url, apiKey: KEY });
    for (const user of sample) answers.set(user, await tide.recommend(user, { k: 10 }));
    second.child.kill('SIGTERM');
    expect(await exited(second.child)).toBe(0);
    expect(second.output()).toMatch(/the events of .* are in the log already/);

    // each of the 10,000 events exactly once, after the imported world
    const store = await openStore(`sqlite://${db}`);
    expect(await store.events.count()).toBe(imported + TOTAL);
    for (const ack of [...acks, ...secondAcks]) {
      const logged = await store.events.scan(ack.firstSeq - 1, ack.batch.events.length);
      expect(logged.map(({ seq, ...e }) => e)).toEqual(ack.batch.events);
    }
    await store.close();

    // a clean rebuild: a copy of the file without stored states, replayed from the log
    const copy = join(dir, 'rebuilt.db');
    await copyFile(db, copy);
    const rebuiltStore = await openStore(`sqlite://${copy}`);
    await rebuiltStore.states.clear();
    const engine = await Engine.open({ store: rebuiltStore, model });
    for (const user of sample) {
      const rebuilt = await engine.recommend(user, { k: 10 });
      expect(JSON.parse(JSON.stringify(rebuilt)), user).toEqual(answers.get(user));
    }
    await engine.close();
    await rebuiltStore.close();
  }, 300_000);
});
