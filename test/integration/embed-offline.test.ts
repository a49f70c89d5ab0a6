import { execFile, execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { beforeAll, describe, expect, it } from 'vitest';

const run = promisify(execFile);
const ROOT = new URL('../../', import.meta.url).pathname;
const BIN = join(ROOT, 'dist/cli/main.js');
const ML1M = new URL('../../../shared/data/ml-1m', import.meta.url).pathname;
const ML1M_TITLES = 3883;

/** `unshare -n` gives the process a network namespace with nothing in it (not even loopback up). */
function canUnshare(): boolean {
  try {
    execFileSync('unshare', ['-n', 'true'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

/** TIDE_TEST_SANDBOX=preload forces the fallback, to check it where unshare works. */
const UNSHARE = process.env.TIDE_TEST_SANDBOX !== 'preload' && canUnshare();
const SANDBOX = UNSHARE
  ? 'in an empty network namespace (unshare -n)'
  : 'with net/http/dns/fetch made to throw (test/fixtures/no-network.cjs preload; unshare -n is unavailable)';

/** Runs `node <args>` with no network, as described by SANDBOX. */
async function offline(args: string[]): Promise<{ stdout: string; stderr: string; code: number }> {
  const [command, argv] = UNSHARE ? ['unshare', ['-n', 'node', ...args]] : ['node', args];
  const env = UNSHARE
    ? { ...process.env, CI: '1' }
    : { ...process.env, CI: '1', NODE_OPTIONS: `--require ${join(ROOT, 'test/fixtures/no-network.cjs')}` };
  try {
    const { stdout, stderr } = await run(command, argv, { cwd: ROOT, env, maxBuffer: 16 * 1024 * 1024 });
    return { stdout, stderr, code: 0 };
  } catch (error) {
    const e = error as { stdout: string; stderr: string; code: number };
    return { stdout: e.stdout, stderr: e.stderr, code: e.code };
  }
}

describe.runIf(existsSync(ML1M) || process.env.CI)(`tide embed offline, ${SANDBOX}`, () => {
  beforeAll(() => {
    if (!existsSync(join(ROOT, 'dist/cli/commands/embed.js'))) {
      throw new Error(`${BIN} lacks the embed command: run "npm run build" first (npm test does)`);
    }
  });

  it('the sandbox really has no network', async () => {
    const probe =
      "fetch('http://example.com').then(() => process.exit(3), (e) => { console.log(String(e.cause ?? e)); process.exit(0); })";
    const { code } = await offline(['-e', probe]);
    expect(code).toBe(0);
  });

  it('embeds all 3,883 ML-1M titles with USE-lite, then takes them all from the cache', async () => {
    const cache = join(mkdtempSync(join(tmpdir(), 'tide-embed-')), 'embeddings.db');
    const args = [BIN, 'embed', '--data', ML1M, '--cache', cache, '--json'];
    const first = await offline(args);
    expect(first.stderr).not.toMatch(/tide: /);
    expect(first.code).toBe(0);
    const report = JSON.parse(first.stdout.trim().split('\n').at(-1) ?? '{}');
    expect(report).toMatchObject({
      items: ML1M_TITLES,
      embedded: ML1M_TITLES,
      cached: 0,
      dim: 512,
      cachedForEncoder: ML1M_TITLES,
    });
    expect(report.encoder).toMatch(/^use-lite@\d+\.\d+\.\d+$/);
    expect(report.sentencesPerSecond).toBeGreaterThan(0);

    const second = await offline(args);
    expect(second.code).toBe(0);
    const again = JSON.parse(second.stdout.trim().split('\n').at(-1) ?? '{}');
    expect(again).toMatchObject({
      items: ML1M_TITLES,
      embedded: 0,
      cached: ML1M_TITLES,
      sentencesPerSecond: null,
    });
  }, 300_000);
});
