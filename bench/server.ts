/**
 * Serving benchmark. HTTP: `tide serve`'s app in a child process on loopback, autocannon in this one
 * against GET /users/:id/recommendations?k=10, rotating over users who have histories; first a cold
 * pass (each user once: the state is rebuilt from the log), then a timed warm run. In-process, after
 * the child has gone: event -> updated state (engine.ingest of one event, which resolves once the
 * state holds it) and engine.recommend, 10,000 timed calls each, on memory:// and, for ingest, on
 * SQLite (synchronous=FULL: every append waits for the disk).
 * Model: $TIDE_RUNS/sasrec-ml1m on ../shared/data/ml-1m when present, else a world-trained SASRec.
 * Usage: nice -n 5 node --import tsx bench/server.ts [--duration 20] [--connections 16] [--users 2000]
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Rng } from '../src/core/random.js';
import type { Event } from '../src/core/types.js';
import { openDataSource } from '../src/data/ingest/index.js';
import { generateWorld, writeWorld } from '../src/data/synthetic/index.js';
import { Engine } from '../src/engine/engine.js';
import { openServingModel, type ServingModel } from '../src/engine/serving-model.js';
import { startServer } from '../src/server/server.js';
import { openStore } from '../src/storage/open.js';
import type { Store } from '../src/storage/ports.js';
import { argValue, emit, latencies, SHARED_DATA } from './measure.js';
import type { Suite } from './run.js';

interface CannonResult {
  requests: { average: number; total: number };
  latency: { p50: number; p90: number; p99: number };
  errors: number;
  timeouts: number;
  non2xx: number;
  duration: number;
}
interface CannonOptions {
  url: string;
  connections: number;
  duration?: number;
  amount?: number;
  requests: { setupRequest: (request: { path: string }) => { path: string } }[];
}
type CannonInstance = Promise<CannonResult> & {
  on(event: 'response', listener: (client: unknown, status: number, bytes: number, ms: number) => void): void;
};
// autocannon ships no types: this is the slice of its API used here
const autocannon = createRequire(import.meta.url)('autocannon') as (options: CannonOptions) => CannonInstance;

const round = (x: number) => Math.round(x * 1000) / 1000;

/** The model and data: ML-1M SASRec when TIDE_RUNS has it, else a model trained on a generated world. */
async function setup(): Promise<{ name: string; modelDir: string; dataPath: string }> {
  const runs = process.env.TIDE_RUNS;
  if (runs && existsSync(join(runs, 'sasrec-ml1m', 'manifest.json'))) {
    return { name: 'sasrec-ml1m', modelDir: join(runs, 'sasrec-ml1m'), dataPath: join(SHARED_DATA, 'ml-1m') };
  }
  const { initBackend } = await import('../src/nn/backend.js');
  const { servedModel } = await import('../test/fixtures/served-model.js');
  await initBackend();
  const { dir } = await servedModel('sasrec');
  const dataPath = await mkdtemp(join(tmpdir(), 'tide-bench-world-'));
  await writeWorld(generateWorld({ users: 300, items: 160, seed: 7 }), dataPath);
  return { name: 'sasrec-world', modelDir: dir, dataPath };
}

/** A store holding the data set's items and events (only `users`' events when given). */
async function loadStore(url: string, dataPath: string, users?: ReadonlySet<string>): Promise<Store> {
  const store = await openStore(url);
  const data = await openDataSource(dataPath);
  for await (const batch of data.items()) await store.items.put(batch);
  for await (const batch of data.events()) {
    const kept = users ? batch.filter((e) => users.has(e.userId)) : batch;
    for (let at = 0; at < kept.length; at += 5000) await store.events.append(kept.slice(at, at + 5000));
  }
  return store;
}

/** Child: the server alone in its process, printing its URL and its users as one JSON line. */
async function child(modelDir: string, dataPath: string): Promise<void> {
  const started = performance.now();
  const store = await loadStore('memory://', dataPath);
  const engine = await Engine.open({ store, model: await openServingModel(modelDir) });
  const server = await startServer({ engine, store, port: 0, log: () => undefined });
  const users = new Set<string>();
  for (let after = 0; ; ) {
    const page = await store.events.scan(after, 50_000);
    if (page.length === 0) break;
    for (const e of page) users.add(e.userId);
    after = page[page.length - 1].seq;
  }
  const loadSeconds = (performance.now() - started) / 1000;
  process.stdout.write(
    `${JSON.stringify({ url: server.url, users: [...users], events: await store.events.count(), loadSeconds })}\n`,
  );
  await server.closed;
}

async function http(url: string, users: string[], connections: number, duration: number) {
  let next = 0;
  const path = () => `/users/${encodeURIComponent(users[next++ % users.length])}/recommendations?k=10`;
  const run = async (options: { amount?: number; duration?: number }) => {
    const answered: number[] = [];
    const instance = autocannon({
      url,
      connections,
      ...options,
      requests: [{ setupRequest: (r) => ({ ...r, path: path() }) }],
    });
    instance.on('response', (_client, _status, _bytes, ms) => void answered.push(ms));
    const result = await instance;
    return {
      requests: result.requests.total,
      reqPerSec: round(result.requests.total / result.duration),
      latencyMs: Object.fromEntries(Object.entries(latencies(answered)).map(([k, v]) => [k, round(v)])),
      errors: result.errors,
      timeouts: result.timeouts,
      non2xx: result.non2xx,
    };
  };
  const cold = await run({ amount: users.length });
  next = 0;
  const warm = await run({ duration });
  return { cold, warm };
}

/** event -> state and recommend latency, in this process. */
async function inProcess(store: Store, model: ServingModel, users: string[], calls: number) {
  const engine = await Engine.open({ store, model });
  for (const user of users) await engine.recommend(user, { k: 10 }); // load states (timed cold above)
  const rng = new Rng(7);
  const ingest: number[] = [];
  for (let n = 0; n < calls; n++) {
    const event: Event = { userId: rng.pick(users), itemId: rng.pick(model.itemIds), type: 'click' };
    const started = performance.now();
    await engine.ingest([event]);
    ingest.push(performance.now() - started);
  }
  const recommend: number[] = [];
  for (let n = 0; n < calls; n++) {
    const started = performance.now();
    await engine.recommend(users[n % users.length], { k: 10 });
    recommend.push(performance.now() - started);
  }
  await engine.close();
  const ms = (values: number[]) =>
    Object.fromEntries(Object.entries(latencies(values)).map(([k, v]) => [k, round(v)]));
  return { ingestMs: ms(ingest), recommendMs: ms(recommend) };
}

async function main(): Promise<void> {
  const duration = Number(argValue('duration', '20'));
  const connections = Number(argValue('connections', '16'));
  const sampleSize = Number(argValue('users', '2000'));
  const { name, modelDir, dataPath } = await setup();
  const server: ChildProcess = spawn(
    process.execPath,
    ['--import', 'tsx', fileURLToPath(import.meta.url), '--child', modelDir, dataPath],
    { stdio: ['ignore', 'pipe', 'inherit'] },
  );
  const info = await new Promise<{ url: string; users: string[]; events: number; loadSeconds: number }>(
    (resolve, reject) => {
      let out = '';
      server.stdout!.on('data', (chunk: Buffer) => {
        out += chunk.toString();
        if (out.includes('\n')) resolve(JSON.parse(out.slice(0, out.indexOf('\n'))));
      });
      server.once('exit', (code) => reject(new Error(`server exited with ${code}`)));
    },
  );
  const users = new Rng(42).shuffle(info.users).slice(0, sampleSize);
  process.stderr.write(
    `server up (${info.events} events, ${info.loadSeconds.toFixed(1)} s); ${users.length} users, ${connections} connections, ${duration} s\n`,
  );
  const results = await http(info.url, users, connections, duration);
  server.kill('SIGTERM');
  await new Promise((resolve) => server.once('exit', resolve));

  const model = await openServingModel(modelDir);
  const calls = Number(argValue('calls', '10000'));
  const memory = await inProcess(await loadStore('memory://', dataPath), model, users, calls);
  const sqliteUsers = users.slice(0, 200);
  const dir = await mkdtemp(join(tmpdir(), 'tide-bench-sqlite-'));
  const sqliteStore = await loadStore(`sqlite://${join(dir, 'bench.db')}`, dataPath, new Set(sqliteUsers));
  const sqlite = await inProcess(sqliteStore, model, sqliteUsers, calls);
  await sqliteStore.close();
  emit({
    bench: 'server',
    model: name,
    events: info.events,
    users: users.length,
    connections,
    duration,
    http: results,
    inProcess: { memory, sqlite },
  });
}

/**
 * The `server` suite of bench/run.ts: this script at 16 and at 4 connections. At 16 the 2 cores are
 * saturated and latency is mostly queueing; 4 shows the latency at a throughput below saturation.
 */
export const SERVER: Suite = {
  name: 'server',
  jobs: [
    { script: 'bench/server.ts', args: ['--connections', '16'] },
    { script: 'bench/server.ts', args: ['--connections', '4'] },
  ],
  render(results) {
    const row = (label: string, x: HttpRun) =>
      `| ${label} | ${x.requests} | ${x.reqPerSec.toFixed(0)} | ${x.latencyMs.p50} | ${x.latencyMs.p90} | ${x.latencyMs.p99} | ${x.errors} | ${x.non2xx} |`;
    const ms = (label: string, x: Record<string, number>) =>
      `| ${label} | ${x.p50} | ${x.p90} | ${x.p99} | ${x.max} |`;
    const first = results[0];
    const http = results.flatMap((r) => {
      const { cold, warm } = (r as unknown as ServerResult).http;
      const c = String(r.connections);
      return [
        row(`${c} connections, cold (each user once: state rebuilt from the log)`, cold),
        row(`${c} connections, warm (${String(r.duration)} s)`, warm),
      ];
    });
    const { inProcess } = first as unknown as ServerResult;
    return [
      `### Serving: ${String(first.model)}, ${String(first.events)} events, ${String(first.users)} users`,
      '',
      '| GET /users/:id/recommendations?k=10 | requests | req/s | p50 ms | p90 ms | p99 ms | errors | non-2xx |',
      '|---|---|---|---|---|---|---|---|',
      ...http,
      '',
      '| in-process, ms | p50 | p90 | p99 | max |',
      '|---|---|---|---|---|',
      ms('event -> state (ingest), memory://', inProcess.memory.ingestMs),
      ms(
        'event -> state (ingest), sqlite (one commit per append, nothing else in flight)',
        inProcess.sqlite.ingestMs,
      ),
      ms('recommend k=10, memory://', inProcess.memory.recommendMs),
    ].join('\n');
  },
};

interface HttpRun {
  requests: number;
  reqPerSec: number;
  latencyMs: Record<string, number>;
  errors: number;
  non2xx: number;
}
interface ServerResult {
  http: { cold: HttpRun; warm: HttpRun };
  inProcess: Record<
    'memory' | 'sqlite',
    { ingestMs: Record<string, number>; recommendMs: Record<string, number> }
  >;
}

// run only as a script: bench/run.ts imports this file for SERVER
if (process.argv[1] === fileURLToPath(import.meta.url)) {
  if (process.argv[2] === '--child') await child(process.argv[3], process.argv[4]);
  else await main();
}
