/**
 * Soak: `tide serve` (CLI, SQLite file) under a mixed stream for `--minutes`: POST /events for
 * known and never-seen users, GET recommendations for known and never-seen users, in turn, from
 * `--connections` clients. Each minute: answers/s, p99, errors, and the server's resident memory
 * (VmRSS of its process). The question: does memory stay flat once the caches are full?
 * Usage: nice -n 5 node --import tsx bench/soak.ts [--minutes 30] [--connections 8]
 */
import { mkdtemp, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Rng } from '../src/core/random.js';
import { generateWorld, writeWorld } from '../src/data/synthetic/index.js';
import { argValue, emit } from './measure.js';
import type { Suite } from './run.js';
import { type CannonRequest, load, startServe } from './write-load.js';

/** Resident memory of a process, MiB (Linux /proc). */
async function rssMiB(pid: number): Promise<number> {
  const status = await readFile(`/proc/${pid}/status`, 'utf8');
  const kib = Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? Number.NaN);
  return Math.round(kib / 1024);
}

async function main(): Promise<void> {
  const minutes = Number(argValue('minutes', '30'));
  const connections = Number(argValue('connections', '8'));
  const dir = await mkdtemp(join(tmpdir(), 'tide-soak-'));
  const world = generateWorld({ users: 600, items: 160, seed: 7 });
  await writeWorld(world, join(dir, 'world'));
  const { initBackend } = await import('../src/nn/backend.js');
  const { servedModel } = await import('../test/fixtures/served-model.js');
  await initBackend();
  const { dir: modelDir } = await servedModel('sasrec');
  const { child, url } = await startServe(dir, modelDir, join(dir, 'world'), []);

  const rng = new Rng(5);
  const users = [...new Set(world.events.map((e) => e.userId))];
  const items = world.items.map((item) => item.itemId);
  let fresh = 0;
  const json = { 'content-type': 'application/json' };
  const post = (userId: string): CannonRequest => ({
    method: 'POST',
    path: '/events',
    headers: json,
    body: JSON.stringify({ userId, itemId: rng.pick(items), type: 'click' }),
  });
  const get = (userId: string): CannonRequest => ({
    method: 'GET',
    path: `/users/${encodeURIComponent(userId)}/recommendations?k=10`,
  });
  const mix = [
    () => post(rng.pick(users)),
    () => post(`soak-new-${fresh++}`),
    () => get(rng.pick(users)),
    () => get(`soak-never-${fresh++}`),
  ];
  let turn = 0;
  const next = () => mix[turn++ % mix.length]();

  const perMinute: { minute: number; perSecond: number; p99: number; errors: number; rssMiB: number }[] = [];
  for (let minute = 1; minute <= minutes; minute++) {
    const run = await load(url, connections, 60, next);
    const rss = await rssMiB(child.pid!);
    perMinute.push({
      minute,
      perSecond: Math.round(run.perSecond),
      p99: Math.round(run.ok.p99 * 10) / 10,
      errors: run.errors + run.timeouts + run.other + run.refused.count,
      rssMiB: rss,
    });
    process.stderr.write(
      `minute ${minute}: ${Math.round(run.perSecond)}/s, p99 ${run.ok.p99.toFixed(1)} ms, RSS ${rss} MiB\n`,
    );
  }
  child.kill('SIGTERM');
  await new Promise((resolve) => child.once('exit', resolve));
  const atFive = perMinute[Math.min(4, perMinute.length - 1)].rssMiB;
  const last = perMinute[perMinute.length - 1].rssMiB;
  emit({
    bench: 'soak',
    minutes,
    connections,
    newIds: fresh,
    perMinute,
    rssGrowthAfterMinute5: Math.round(((last - atFive) / atFive) * 1000) / 10,
  });
}

type Minute = { minute: number; perSecond: number; p99: number; errors: number; rssMiB: number };

/** The `soak` suite of bench/run.ts (30 minutes). */
export const SOAK: Suite = {
  name: 'soak',
  jobs: [{ script: 'bench/soak.ts', args: [] }],
  render([result]) {
    const r = result as unknown as {
      minutes: number;
      connections: number;
      newIds: number;
      perMinute: Minute[];
      rssGrowthAfterMinute5: number;
    };
    const shown = r.perMinute.filter((m) => m.minute === 1 || m.minute % 5 === 0);
    return [
      `### Soak: ${r.minutes} min of mixed traffic, ${r.connections} connections, ${r.newIds} never-seen user ids`,
      '',
      'Each client in turn: an event of a known user, an event of a new user, recommendations for a known user, recommendations for a never-seen id.',
      '',
      '| minute | answers/s | p99 ms | errors | server RSS MiB |',
      '|---|---|---|---|---|',
      ...shown.map((m) => `| ${m.minute} | ${m.perSecond} | ${m.p99} | ${m.errors} | ${m.rssMiB} |`),
      '',
      `RSS growth from minute 5 to the end: ${r.rssGrowthAfterMinute5}%.`,
    ].join('\n');
  },
};

// run only as a script: bench/run.ts imports this file for SOAK
if (process.argv[1] === fileURLToPath(import.meta.url)) await main();
