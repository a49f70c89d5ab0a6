/**
 * `tide serve` on the candidate path of large catalogues (switched on for the small world with
 * --approximate-from 1): the first start builds the HNSW item index and saves it in --index-dir, the
 * next start loads it, and both answer the same.
 */
import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TideClient } from '../../src/client/index.js';
import { initBackend } from '../../src/nn/backend.js';
import { servedModel } from '../fixtures/served-model.js';

const ROOT = new URL('../../', import.meta.url).pathname;
const BIN = join(ROOT, 'dist/cli/main.js');
let dir: string;
let modelDir: string;
const running = new Set<ChildProcess>();

/** Starts `tide serve` on a fresh in-memory store; resolves with its URL and what it printed. */
async function serve(): Promise<{ child: ChildProcess; url: string; stdout: string }> {
  const args = ['serve', '--data', join(dir, 'world'), '--model-dir', modelDir, '--store', 'memory://'];
  const flags = ['--port', '0', '--approximate-from', '1', '--index-dir', join(dir, 'index')];
  const child = spawn('node', [BIN, ...args, ...flags], { cwd: dir, env: { ...process.env, CI: '1' } });
  running.add(child);
  child.once('exit', () => running.delete(child));
  let stdout = '';
  const url = await new Promise<string>((resolve, reject) => {
    child.stdout!.on('data', (chunk: Buffer) => {
      stdout += chunk.toString();
      const match = /listening on (http:\/\/\S+)/.exec(stdout);
      if (match) resolve(match[1]);
    });
    child.once('exit', (code) => reject(new Error(`tide serve exited with ${code}:\n${stdout}`)));
  });
  return { child, url, stdout };
}

async function stop(child: ChildProcess): Promise<void> {
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill('SIGTERM');
  await exited;
}

async function recommendations(url: string, user: string): Promise<string[]> {
  const { items } = await new TideClient({ baseUrl: url }).recommend(user, { k: 5 });
  return items.map((item) => item.itemId);
}

beforeAll(async () => {
  if (!existsSync(BIN)) throw new Error(`${BIN} is missing: run "npm run build" first (npm test does)`);
  await initBackend();
  modelDir = (await servedModel('sasrec')).dir;
  dir = await mkdtemp(join(tmpdir(), 'tide-serve-index-'));
  const args = ['generate', '--out', join(dir, 'world'), '--users', '300', '--items', '160', '--seed', '7'];
  await promisify(execFile)('node', [BIN, ...args]);
}, 180_000);

afterAll(() => {
  for (const child of running) child.kill('SIGKILL');
});

describe('tide serve with an item index', () => {
  it('builds and saves the index at the first start, loads it at the next, and answers the same', async () => {
    const first = await serve();
    expect(first.stdout).toMatch(/candidates from 160 items in an HNSW index built, saved to \S+\.hnsw/);
    expect(readdirSync(join(dir, 'index')).filter((name) => name.endsWith('.hnsw'))).toHaveLength(1);
    const users = ['u0001', 'u0002', 'u0003'];
    const before = await Promise.all(users.map((user) => recommendations(first.url, user)));
    for (const items of before) expect(items).toHaveLength(5);
    const metrics = await new TideClient({ baseUrl: first.url }).metrics();
    expect(metrics).toMatch(/^tide_engine_indexed_items 160$/m);
    await stop(first.child);

    const second = await serve();
    expect(second.stdout).toMatch(/candidates from 160 items in an HNSW index loaded from \S+\.hnsw/);
    expect(await Promise.all(users.map((user) => recommendations(second.url, user)))).toEqual(before);
    await stop(second.child);
  }, 180_000);
});
