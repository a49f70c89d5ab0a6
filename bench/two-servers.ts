/**
 * Several `tide serve` processes on one Postgres, against one on Postgres and one on SQLite, on this
 * machine (the servers, Postgres and the load generator share its cores):
 *   1. throughput: `--connections` clients reading recommendations, then as many POSTing single
 *      events, spread over one or two servers; the CPU each part used (servers, Postgres, the load);
 *   2. event → effect: an event acknowledged by server A, then B's recommendations for that user
 *      read until they count it; the time from A's acknowledgement to B's first answer that does,
 *      idle and beside a load on both servers;
 *   3. kill -9 of one server under a write and read load on both: every acknowledged event is in
 *      the log afterwards, and the other server keeps answering.
 * Usage: nice -n 5 node --import tsx bench/two-servers.ts --store postgres://user:pw@host/db
 *   [--duration 20] [--connections 16] [--probes 400]
 */
import type { ChildProcess } from 'node:child_process';
import { mkdtemp, readdir, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { Rng } from '../src/core/random.js';
import { generateWorld, writeWorld } from '../src/data/synthetic/index.js';
import { openStore } from '../src/storage/open.js';
import { argValue, emit, latencies } from './measure.js';
import type { Suite } from './run.js';
import { type CannonRequest, load, startServe } from './write-load.js';

const WORLD = { users: 600, items: 160, seed: 7 };
/** Every server started, killed when this process exits however it ends. */
const started: ChildProcess[] = [];
process.on('exit', () => {
  for (const child of started) child.kill('SIGKILL');
});
const TICKS_PER_SECOND = 100;

interface Server {
  child: ChildProcess;
  url: string;
}

/** CPU seconds used so far by a process (utime + stime from /proc). */
async function cpuSeconds(pid: number): Promise<number> {
  const stat = await readFile(`/proc/${pid}/stat`, 'utf8').catch(() => '');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(fields[11] ?? 0) + Number(fields[12] ?? 0)) / TICKS_PER_SECOND;
}

/** CPU seconds used so far by every process named postgres (the server and its backends). */
async function postgresCpuSeconds(): Promise<number> {
  let total = 0;
  for (const entry of await readdir('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    const comm = await readFile(`/proc/${entry}/comm`, 'utf8').catch(() => '');
    if (comm.trim() === 'postgres') total += await cpuSeconds(Number(entry));
  }
  return total;
}

/** Runs `work` and returns its result with the cores each part used meanwhile. */
async function withCpu<T>(servers: Server[], work: () => Promise<T>) {
  const started = performance.now();
  const before = {
    servers: await Promise.all(servers.map((s) => cpuSeconds(s.child.pid!))),
    postgres: await postgresCpuSeconds(),
    load: process.cpuUsage(),
  };
  const value = await work();
  const wall = (performance.now() - started) / 1000;
  const serverSeconds = (await Promise.all(servers.map((s) => cpuSeconds(s.child.pid!)))).reduce(
    (sum, seconds, i) => sum + seconds - before.servers[i],
    0,
  );
  const postgres = (await postgresCpuSeconds()) - before.postgres;
  const loadUsage = process.cpuUsage(before.load);
  const load = (loadUsage.user + loadUsage.system) / 1e6;
  const cores = (seconds: number) => Number((seconds / wall).toFixed(2));
  return { value, cpu: { servers: cores(serverSeconds), postgres: cores(postgres), load: cores(load) } };
}

/** A fresh schema of the Postgres server named by --store. */
function freshSchema(base: string, name: string): string {
  const url = new URL(base);
  url.searchParams.set('schema', `tide_bench_${name}_${Date.now().toString(36)}`);
  return url.toString();
}

async function dropSchema(storeUrl: string): Promise<void> {
  const url = new URL(storeUrl);
  const schema = url.searchParams.get('schema');
  url.searchParams.delete('schema');
  const client = new pg.Client({ connectionString: url.toString() });
  await client.connect();
  await client.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
  await client.end();
}

async function stop(server: Server): Promise<void> {
  if (server.child.exitCode !== null || server.child.signalCode !== null) return;
  server.child.kill('SIGTERM');
  await new Promise((resolve) => server.child.once('exit', resolve));
}

async function main(): Promise<void> {
  const base = argValue('store', '');
  if (!base.startsWith('postgres')) throw new Error('--store postgres://user:password@host/db is required');
  const duration = Number(argValue('duration', '20'));
  const connections = Number(argValue('connections', '16'));
  const probes = Number(argValue('probes', '400'));
  const dir = await mkdtemp(join(tmpdir(), 'tide-two-servers-'));
  const world = generateWorld(WORLD);
  const worldDir = join(dir, 'world');
  await writeWorld(world, worldDir);
  const { initBackend } = await import('../src/nn/backend.js');
  const { servedModel } = await import('../test/fixtures/served-model.js');
  await initBackend();
  const { dir: modelDir } = await servedModel('sasrec');

  const rng = new Rng(13);
  const users = [...new Set(world.events.map((e) => e.userId))];
  const items = world.items.map((item) => item.itemId);
  let fresh = 0;
  // a fresh object each time: autocannon writes the body's length into the headers it is given
  const json = () => ({ 'content-type': 'application/json' });
  const write = (): CannonRequest => ({
    method: 'POST',
    path: '/events',
    headers: json(),
    body: JSON.stringify({
      userId: rng.next() < 0.2 ? `bench-new-${fresh++}` : rng.pick(users),
      itemId: rng.pick(items),
      type: 'click',
    }),
  });
  const read = (): CannonRequest => ({
    method: 'GET',
    path: `/users/${encodeURIComponent(rng.pick(users))}/recommendations?k=10`,
  });
  /** The same total of clients, spread evenly over the servers. */
  const spread = (servers: Server[], next: () => CannonRequest) =>
    withCpu(servers, async () => {
      const all: number[] = [];
      const runs = await Promise.all(
        servers.map((s) =>
          load(s.url, Math.ceil(connections / servers.length), duration, next, (ms) => void all.push(ms)),
        ),
      );
      return {
        perSecond: runs.reduce((sum, r) => sum + r.perSecond, 0),
        ok: latencies(all),
        failed: runs.reduce((sum, r) => sum + r.refused.count + r.other + r.errors + r.timeouts, 0),
      };
    });
  const throughput = async (label: string, servers: Server[]) => {
    process.stderr.write(`${label}: reads, then writes, ${connections} connections, ${duration} s each\n`);
    const reads = await spread(servers, read);
    const writes = await spread(servers, write);
    return { label, servers: servers.length, reads, writes };
  };

  // 1. throughput: SQLite, Postgres with one server, Postgres with two
  const serve = async (worldDir: string | null, store: string) => {
    const server = await startServe(dir, modelDir, worldDir, [], store);
    started.push(server.child);
    return server;
  };
  const sqlite = await serve(worldDir, `sqlite://${join(dir, 'one.db')}`);
  const runs = [await throughput('SQLite, one server', [sqlite])];
  await stop(sqlite);
  const shared = freshSchema(base, 'two');
  const a = await serve(worldDir, shared);
  runs.push(await throughput('Postgres, one server', [a]));
  const b = await serve(null, shared);
  runs.push(await throughput('Postgres, two servers', [a, b]));

  // 2. event -> effect, A to B
  const effect = async (label: string) => {
    const delays: number[] = [];
    let firstRead = 0;
    for (let i = 0; i < probes; i++) {
      // half never-seen users, half known ones whose state B holds in memory
      const known = i % 2 === 1;
      const userId = known ? users[i % users.length] : `probe-${label}-${i}`;
      const counted = async () =>
        ((await (await fetch(`${b.url}/users/${userId}/recommendations?k=10`)).json()) as { events: number })
          .events;
      const before = known ? await counted() : 0;
      const posted = await fetch(`${a.url}/events`, {
        method: 'POST',
        headers: json(),
        body: JSON.stringify({ userId, itemId: rng.pick(items), type: 'click' }),
      });
      await posted.arrayBuffer();
      const acknowledged = performance.now();
      if (!posted.ok) throw new Error(`event refused: ${posted.status}`);
      for (let reads = 1; ; reads++) {
        if ((await counted()) > before) {
          delays.push(performance.now() - acknowledged);
          if (reads === 1) firstRead++;
          break;
        }
        if (performance.now() - acknowledged > 10_000) throw new Error(`${userId}: no effect on B in 10 s`);
      }
    }
    return { label, ...latencies(delays), firstRead: firstRead / probes };
  };
  process.stderr.write(`event -> effect: ${probes} probes idle, then beside a load\n`);
  const idle = await effect('idle');
  const loadConnections = Math.max(2, connections / 4);
  const [loaded] = await Promise.all([
    effect('loaded'),
    load(a.url, loadConnections, duration, write),
    load(b.url, loadConnections, duration, read),
  ]);

  // 3. kill -9 of B under load on both
  process.stderr.write(`kill -9: writes and reads on both servers, B killed after ${duration / 2} s\n`);
  const killed = await killUnderLoad(a, b, shared, duration, items);
  await stop(a);
  await dropSchema(shared);
  emit({ bench: 'two-servers', duration, connections, probes, runs, effect: [idle, loaded], killed });
}

/**
 * Writers and readers on both servers; B is killed with SIGKILL halfway. Returns what was
 * acknowledged, what the log holds of it, and how A answered from the kill on.
 */
async function killUnderLoad(a: Server, b: Server, storeUrl: string, duration: number, items: string[]) {
  const acked: { seq: number; userId: string; itemId: string }[] = [];
  const aFailures: string[] = [];
  const aAfterKill: number[] = [];
  let killedAt = Number.POSITIVE_INFINITY;
  const end = performance.now() + duration * 1000;
  const writer = async (server: Server, name: string) => {
    for (let n = 0; performance.now() < end; n++) {
      const event = { userId: `kill-${name}-${n % 50}`, itemId: items[n % items.length], type: 'click' };
      const started = performance.now();
      try {
        const res = await fetch(`${server.url}/events`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify(event),
        });
        const body = (await res.json()) as { firstSeq: number };
        if (res.ok) acked.push({ seq: body.firstSeq, ...event });
        else if (server === a) aFailures.push(`write ${res.status}`);
        if (server === a && started > killedAt) aAfterKill.push(performance.now() - started);
      } catch (error) {
        if (server === a) aFailures.push(`write ${(error as Error).message}`);
        // B is gone: its clients stop
        if (server === b) return;
      }
    }
  };
  const reader = async () => {
    for (let n = 0; performance.now() < end; n++) {
      const started = performance.now();
      try {
        const res = await fetch(`${a.url}/users/kill-b${n % 4}-${n % 50}/recommendations?k=10`);
        await res.arrayBuffer();
        if (!res.ok) aFailures.push(`read ${res.status}`);
        else if (started > killedAt) aAfterKill.push(performance.now() - started);
      } catch (error) {
        aFailures.push(`read ${(error as Error).message}`);
      }
    }
  };
  const killer = async () => {
    await new Promise((resolve) => setTimeout(resolve, (duration * 1000) / 2));
    killedAt = performance.now();
    b.child.kill('SIGKILL');
  };
  await Promise.all([
    ...[0, 1, 2, 3].map((k) => writer(a, `a${k}`)),
    ...[0, 1, 2, 3].map((k) => writer(b, `b${k}`)),
    reader(),
    reader(),
    killer(),
  ]);
  const store = await openStore(storeUrl);
  let missing = 0;
  try {
    const wanted = new Map(acked.map((e) => [e.seq, e]));
    const first = Math.min(...wanted.keys());
    for (let after = first - 1; ; ) {
      const page = await store.events.scan(after, 10_000);
      if (page.length === 0) break;
      for (const event of page) {
        const ack = wanted.get(event.seq);
        if (ack && ack.userId === event.userId && ack.itemId === event.itemId) wanted.delete(event.seq);
      }
      after = page[page.length - 1].seq;
    }
    missing = wanted.size;
  } finally {
    await store.close();
  }
  return {
    acknowledged: acked.length,
    acknowledgedByB: acked.filter((e) => e.userId.startsWith('kill-b')).length,
    missing,
    aFailures: aFailures.length,
    aFailureSample: aFailures.slice(0, 3),
    aAfterKill: latencies(aAfterKill),
  };
}

type Throughput = {
  label: string;
  servers: number;
  reads: { value: { perSecond: number; ok: { p99: number }; failed: number }; cpu: Record<string, number> };
  writes: { value: { perSecond: number; ok: { p99: number }; failed: number }; cpu: Record<string, number> };
};
type Effect = { label: string; count: number; p50: number; p99: number; max: number; firstRead: number };
type Killed = Awaited<ReturnType<typeof killUnderLoad>>;

/** The `two-servers` suite of bench/run.ts (needs `--store postgres://...`). */
export const TWO_SERVERS: Suite = {
  name: 'two-servers',
  jobs: [{ script: 'bench/two-servers.ts', args: [] }],
  render([result]) {
    if (result.bench === 'failed') return `failed: ${result.error}`;
    const r = result as unknown as {
      duration: number;
      connections: number;
      runs: Throughput[];
      effect: Effect[];
      killed: Killed;
    };
    const cpu = (c: Record<string, number>) => `${c.servers} / ${c.postgres} / ${c.load}`;
    const row = (t: Throughput, kind: 'reads' | 'writes') =>
      `| ${t.label} | ${kind === 'reads' ? 'GET recommendations k=10' : 'POST single events'} | ${t[kind].value.perSecond.toFixed(0)} | ${t[kind].value.ok.p99.toFixed(1)} | ${t[kind].value.failed} | ${cpu(t[kind].cpu)} |`;
    const k = r.killed;
    return [
      `### Throughput: ${r.connections} connections spread over the servers, ${r.duration} s per run, 600-user world`,
      '',
      '| store | load | answers/s | p99 ms | failed | cores used: servers / Postgres / load generator |',
      '|---|---|---|---|---|---|',
      ...r.runs.flatMap((t) => [row(t, 'reads'), row(t, 'writes')]),
      '',
      '### Event → effect across servers: acknowledged by A, counted in B’s recommendations',
      '',
      '| when | probes | p50 ms | p99 ms | max ms | effect on B’s first read |',
      '|---|---|---|---|---|---|',
      ...r.effect.map(
        (e) =>
          `| ${e.label === 'idle' ? 'idle' : 'beside writes on A and reads on B'} | ${e.count} | ${e.p50.toFixed(1)} | ${e.p99.toFixed(1)} | ${e.max.toFixed(1)} | ${(e.firstRead * 100).toFixed(1)}% |`,
      ),
      '',
      '### kill -9 of server B under writes and reads on both',
      '',
      '| events acknowledged (by B) | acknowledged but missing from the log | A: failed requests | A after the kill: answers, p99 ms |',
      '|---|---|---|---|',
      `| ${k.acknowledged} (${k.acknowledgedByB}) | ${k.missing} | ${k.aFailures} | ${k.aAfterKill.count}, ${k.aAfterKill.p99.toFixed(1)} |`,
    ].join('\n');
  },
};

// run only as a script: bench/run.ts imports this file for TWO_SERVERS
if (process.argv[1] === fileURLToPath(import.meta.url)) await main();
