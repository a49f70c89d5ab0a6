/**
 * Serving a saved model loads no tfjs and no training code: `tide eval --model-dir` and `tide serve`
 * run under a module-resolution hook that records every module they load (`import()` included), as
 * a user runs them from dist/. The control: the same hook sees tfjs when training code is loaded.
 */
import { execFile } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { beforeAll, describe, expect, it } from 'vitest';
import { TideClient } from '../../src/client/index.js';
import { BIN, exited, ROOT, serveWorkspace, startServe } from '../fixtures/tide-serve.js';

const HOOK = join(ROOT, 'test/fixtures/trace-modules.mjs');
const KEY = 'no-tfjs-test-key';
let dir: string;
let modelDir: string;

beforeAll(async () => {
  ({ dir, modelDir } = await serveWorkspace('tide-no-tfjs-'));
}, 180_000);

/** The modules of this project and of node_modules a traced run loaded. */
async function loaded(trace: string): Promise<string[]> {
  const urls = (await readFile(trace, 'utf8')).trim().split('\n');
  return [...new Set(urls.filter((url) => url.startsWith('file://')))];
}

/** What serving must not load: tfjs, Tide's training code, the families' tfjs networks. */
const forbidden = (urls: readonly string[]) =>
  urls.filter(
    (url) =>
      url.includes('/@tensorflow/') ||
      url.includes('/dist/training/') ||
      (url.endsWith('/network.js') && !url.includes('/models/neural/')),
  );

describe('serving a saved model', () => {
  it('tide eval --model-dir scores a saved model without loading tfjs or training code', async () => {
    const trace = join(dir, 'eval.trace');
    const args = ['--import', HOOK, BIN, 'eval', '--data', join(dir, 'world'), '--model-dir', modelDir];
    const { stdout } = await promisify(execFile)('node', args, {
      env: { ...process.env, TIDE_TRACE_MODULES: trace },
    });
    expect(stdout).toMatch(/NDCG@10/);
    const urls = await loaded(trace);
    expect(urls.some((url) => url.includes('/dist/models/sasrec/inference.js'))).toBe(true);
    expect(forbidden(urls)).toEqual([]);
  }, 120_000);

  it('tide serve answers recommendations and folds events without loading tfjs or training code', async () => {
    const trace = join(dir, 'serve.trace');
    const { child, url } = await startServe({
      db: join(dir, 'serve.db'),
      worldDir: join(dir, 'world'),
      modelDir,
      cwd: dir,
      apiKey: KEY,
      nodeArgs: ['--import', HOOK],
      env: { TIDE_TRACE_MODULES: trace },
    });
    const tide = new TideClient({ baseUrl: url, apiKey: KEY });
    expect((await tide.postEvents({ userId: 'u0001', itemId: 'i0001', type: 'click' })).accepted).toBe(1);
    expect((await tide.recommend('u0001', { k: 5 })).items).toHaveLength(5);
    child.kill('SIGTERM');
    expect(await exited(child)).toBe(0);
    const urls = await loaded(trace);
    expect(urls.some((url) => url.includes('/dist/models/sasrec/inference.js'))).toBe(true);
    expect(forbidden(urls)).toEqual([]);
  }, 120_000);

  it('the hook sees tfjs where it is loaded (training code)', async () => {
    const trace = join(dir, 'control.trace');
    const trainer = join(ROOT, 'dist/training/trainer.js');
    await promisify(execFile)(
      'node',
      ['--import', HOOK, '-e', `await import(${JSON.stringify(trainer)})`, '--input-type=module'],
      {
        env: { ...process.env, TIDE_TRACE_MODULES: trace },
      },
    );
    expect(forbidden(await loaded(trace)).some((url) => url.includes('/@tensorflow/tfjs'))).toBe(true);
  }, 60_000);
});
