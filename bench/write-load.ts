/**
 * The write path under load: `tide serve` (the CLI, on a SQLite file: every acknowledged event on
 * disk) in a child process, autocannon in this one, over loopback.
 *   1. writes: `--connections` clients each POSTing single events for `--duration` s;
 *   2. writes and reads: the same writers with as many clients reading recommendations beside them;
 *   3. over capacity: `--flood` clients POSTing batches of 50, far past what the disk commits, to
 *      see the excess refused (503 + Retry-After) quickly instead of queued.
 * Events name a mix of the world's users and never-seen ones, and the world's items.
 * Usage: nice -n 5 node --import tsx bench/write-load.ts [--duration 30] [--connections 16] [--flood 128]
 *   [--max-queued-events N] (passed to tide serve; its default otherwise)
 *   [--store postgres://...?schema=<fresh>] (another store than a fresh SQLite file)
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtemp } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Rng } from '../src/core/random.js';
import { generateWorld, writeWorld } from '../src/data/synthetic/index.js';
import { argValue, emit, type Latencies, latencies } from './measure.js';
import type { Suite } from './run.js';

interface CannonResult {
  requests: { total: number };
  errors: number;
  timeouts: number;
  duration: number;
}
export interface CannonRequest {
  method?: string;
  path: string;
  headers?: Record<string, string>;
  body?: string;
}
type CannonInstance = Promise<CannonResult> & {
  on(event: 'response', listener: (client: unknown, status: number, bytes: number, ms: number) => void): void;
};
// autocannon ships no types: this is the slice of its API used here
const autocannon = createRequire(import.meta.url)('autocannon') as (options: {
  url: string;
  connections: number;
  duration: number;
  timeout?: number;
  requests: { setupRequest: (request: CannonRequest) => CannonRequest }[];
}) => CannonInstance;

const ROOT = new URL('../', import.meta.url).pathname;
const WORLD = { users: 600, items: 160, seed: 7 };
/** Share of events from users the server has never seen. */
const NEW_USER_SHARE = 0.2;

/** One autocannon run; latencies kept per answer class (2xx, 503, other). */
export async function load(
  url: string,
  connections: number,
  duration: number,
  next: () => CannonRequest,
  /** Called with each 2xx answer's latency (ms), e.g. to pool several runs. */
  onOk?: (ms: number) => void,
): Promise<{
  perSecond: number;
  ok: Latencies;
  refused: Latencies;
  other: number;
  errors: number;
  timeouts: number;
}> {
  const ok: number[] = [];
  const refused: number[] = [];
  let other = 0;
  const instance = autocannon({
    url,
    connections,
    duration,
    timeout: 10,
    requests: [{ setupRequest: (request) => ({ ...request, ...next() }) }],
  });
  instance.on('response', (_client, status, _bytes, ms) => {
    if (status < 300) {
      ok.push(ms);
      onOk?.(ms);
    } else if (status === 503) refused.push(ms);
    else other++;
  });
  const result = await instance;
  return {
    perSecond: ok.length / result.duration,
    ok: latencies(ok),
    refused: latencies(refused),
    other,
    errors: result.errors,
    timeouts: result.timeouts,
  };
}

/**
 * `tide serve` on a fresh SQLite file (or the store `--store` names, or `store`), resolved with its
 * URL once it listens; `worldDir` null starts it without --data (on a store that holds the data).
 */
export async function startServe(
  dir: string,
  modelDir: string,
  worldDir: string | null,
  extraFlags: string[],
  store = argValue('store', `sqlite://${join(dir, 'load.db')}`),
): Promise<{ child: ChildProcess; url: string }> {
  const child = spawn(
    process.execPath,
    [
      '--import',
      import.meta.resolve('tsx'),
      join(ROOT, 'src/cli/main.ts'),
      'serve',
      '--model-dir',
      modelDir,
      ...(worldDir ? ['--data', worldDir] : []),
      '--store',
      store,
      '--port',
      '0',
      ...extraFlags,
    ],
    { cwd: dir, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let output = '';
  const url = await new Promise<string>((resolve, reject) => {
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      const match = /listening on (http:\/\/\S+)/.exec(output);
      if (match) resolve(match[1]);
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', onData);
    child.once('exit', (code) => reject(new Error(`tide serve exited with ${code}:\n${output}`)));
  });
  return { child, url };
}

async function main(): Promise<void> {
  const duration = Number(argValue('duration', '30'));
  const connections = Number(argValue('connections', '16'));
  const flood = Number(argValue('flood', '128'));
  const dir = await mkdtemp(join(tmpdir(), 'tide-write-load-'));
  const world = generateWorld(WORLD);
  await writeWorld(world, join(dir, 'world'));
  const { initBackend } = await import('../src/nn/backend.js');
  const { servedModel } = await import('../test/fixtures/served-model.js');
  await initBackend();
  const { dir: modelDir } = await servedModel('sasrec');
  const queue = argValue('max-queued-events', '');
  const serveFlags = queue === '' ? [] : ['--max-queued-events', queue];
  const { child, url } = await startServe(dir, modelDir, join(dir, 'world'), serveFlags);

  const rng = new Rng(11);
  const users = [...new Set(world.events.map((e) => e.userId))];
  const items = world.items.map((item) => item.itemId);
  let fresh = 0;
  const event = () => ({
    userId: rng.next() < NEW_USER_SHARE ? `load-new-${fresh++}` : rng.pick(users),
    itemId: rng.pick(items),
    type: 'click',
  });
  const json = { 'content-type': 'application/json' };
  const post = (body: unknown): CannonRequest => ({
    method: 'POST',
    path: '/events',
    headers: json,
    body: JSON.stringify(body),
  });
  const single = () => post(event());
  const batch = () => post({ events: Array.from({ length: 50 }, event) });
  const read = (): CannonRequest => ({
    method: 'GET',
    path: `/users/${encodeURIComponent(rng.pick(users))}/recommendations?k=10`,
  });

  process.stderr.write(`writes alone: ${connections} connections, ${duration} s\n`);
  const writes = await load(url, connections, duration, single);
  process.stderr.write(`writes and reads: ${connections} + ${connections} connections, ${duration} s\n`);
  const [mixedWrites, mixedReads] = await Promise.all([
    load(url, connections, duration, single),
    load(url, connections, duration, read),
  ]);
  process.stderr.write(`over capacity: ${flood} connections posting batches of 50, ${duration} s\n`);
  const over = await load(url, flood, duration, batch);
  child.kill('SIGTERM');
  await new Promise((resolve) => child.once('exit', resolve));
  emit({
    bench: 'write-load',
    store: argValue('store', 'sqlite:').split(':')[0],
    duration,
    connections,
    flood,
    writes,
    mixed: { writes: mixedWrites, reads: mixedReads },
    over,
  });
}

type Run = Awaited<ReturnType<typeof load>>;

/** The `write-load` suite of bench/run.ts. */
export const WRITE_LOAD: Suite = {
  name: 'write-load',
  jobs: [{ script: 'bench/write-load.ts', args: [] }],
  render([result]) {
    const r = result as unknown as {
      store?: string;
      duration: number;
      connections: number;
      flood: number;
      writes: Run;
      mixed: { writes: Run; reads: Run };
      over: Run;
    };
    const ms = (x: number) => x.toFixed(1);
    const row = (label: string, x: Run, unit = 1) =>
      `| ${label} | ${(x.perSecond * unit).toFixed(0)} | ${ms(x.ok.p50)} | ${ms(x.ok.p99)} | ${ms(x.ok.max)} | ${x.refused.count} | ${ms(x.refused.p99)} | ${x.other} | ${x.errors} | ${x.timeouts} |`;
    return [
      `### Write path: \`tide serve\` on ${r.store === 'postgres' ? 'Postgres' : 'SQLite (synchronous=FULL)'}, ${r.duration} s per run, 600-user world`,
      '',
      '| run | acknowledged events/s | p50 ms | p99 ms | max ms | 503 answers | 503 p99 ms | other non-2xx | errors | timeouts |',
      '|---|---|---|---|---|---|---|---|---|---|',
      row(`${r.connections} connections POSTing single events`, r.writes),
      row(`the same, with ${r.connections} reading beside them: writes`, r.mixed.writes),
      `| the same: reads (GET recommendations k=10; answers/s) | ${r.mixed.reads.perSecond.toFixed(0)} | ${ms(r.mixed.reads.ok.p50)} | ${ms(r.mixed.reads.ok.p99)} | ${ms(r.mixed.reads.ok.max)} | ${r.mixed.reads.refused.count} | – | ${r.mixed.reads.other} | ${r.mixed.reads.errors} | ${r.mixed.reads.timeouts} |`,
      row(`over capacity: ${r.flood} connections POSTing batches of 50`, r.over, 50),
    ].join('\n');
  },
};

// run only as a script: bench/run.ts imports this file for WRITE_LOAD
if (process.argv[1] === fileURLToPath(import.meta.url)) await main();
