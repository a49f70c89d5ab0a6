import { execFile, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { beforeAll, describe, expect, it } from 'vitest';
import { TideClient } from '../../src/client/index.js';

const run = promisify(execFile);
const ROOT = new URL('../../', import.meta.url).pathname;
const BIN = join(ROOT, 'dist/cli/main.js');

async function tide(...args: string[]): Promise<{ stdout: string; stderr: string; code: number }> {
  try {
    const { stdout, stderr } = await run('node', [BIN, ...args], {
      cwd: ROOT,
      env: { ...process.env, CI: '1' },
    });
    return { stdout, stderr, code: 0 };
  } catch (error) {
    const e = error as { stdout: string; stderr: string; code: number };
    return { stdout: e.stdout, stderr: e.stderr, code: e.code };
  }
}

/** Runs the built binary as users do; `npm test` builds first. */
describe('tide CLI', () => {
  beforeAll(() => {
    if (!existsSync(BIN)) throw new Error(`${BIN} is missing: run "npm run build" first (npm test does)`);
  });

  it('demo trains on the generated world, prints drift, results and drift-following, then serves until Ctrl-C', async () => {
    const child = spawn('node', [BIN, 'demo', '--users', '200', '--epochs', '3', '--port', '0'], {
      cwd: ROOT,
      env: { ...process.env, CI: '1' },
    });
    let stdout = '';
    const url = await new Promise<string>((resolve, reject) => {
      child.stdout.on('data', (chunk: Buffer) => {
        stdout += chunk.toString();
        const match = /Serving the fused model on (http:\/\/[\d.:]+)/.exec(stdout);
        if (match) resolve(match[1]);
      });
      child.on('exit', (code) => reject(new Error(`demo exited (${code}) before serving:\n${stdout}`)));
    });
    expect(stdout).toMatch(/Interest drift \(ground truth\): \d+ users drift/);
    for (const model of ['pop', 'markov', 'itemknn', 'bpr', 'gru', 'sasrec', 'fused']) {
      expect(stdout).toMatch(new RegExp(`^${model}\\s+0\\.\\d{4}`, 'm'));
    }
    expect(stdout).toMatch(/Does the fused model follow the planted drift\? Over \d+ drifting users/);
    expect(stdout).toMatch(
      /short-term share a over its \d+ validation cases: p10 \/ p50 \/ p90 [\d.]+ \/ [\d.]+ \/ [\d.]+; .*(reported with every answer|reports no a)/,
    );
    const tide = new TideClient({ baseUrl: url });
    expect((await tide.health()).status).toBe('ok');
    const recommendations = await tide.recommend('u0001', { k: 3 });
    expect(recommendations.items).toHaveLength(3);
    expect(recommendations.events).toBeGreaterThan(0);
    const exited = new Promise<number | null>((resolve) => child.on('exit', resolve));
    child.kill('SIGINT');
    expect(await exited).toBe(0);
  }, 240_000);

  it('recommend --text ranks the items of the topic a sentence names, with reasons', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'tide-cli-'));
    await tide('generate', '--out', dir, '--users', '120', '--items', '60');
    const { stdout: stats } = await tide('stats', '--data', dir, '--json');
    expect(JSON.parse(stats).items).toBeGreaterThan(0);
    const items = (await readFile(join(dir, 'items.jsonl'), 'utf8'))
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as { itemId: string; categories: string[] });
    const topic = items[0].categories[0];
    const cache = join(dir, 'embeddings.db');
    const { stdout, code } = await tide(
      'recommend',
      '--data',
      dir,
      '--text',
      topic,
      '--k',
      '5',
      '--text-cache',
      cache,
      '--json',
    );
    expect(code).toBe(0);
    const result = JSON.parse(stdout) as { items: { categories: string[]; reasons: { kind: string }[] }[] };
    expect(result.items).toHaveLength(5);
    expect(result.items.filter((item) => item.categories.includes(topic)).length).toBeGreaterThanOrEqual(4);
    for (const item of result.items) expect(item.reasons.map((r) => r.kind)).toContain('text');
  });

  it('eval --json prints one object per model with the documented fields', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'tide-cli-'));
    await tide('generate', '--out', dir, '--users', '120', '--items', '60');
    const { stdout, code } = await tide('eval', '--data', dir, '--model', 'pop,markov', '--json');
    expect(code).toBe(0);
    const reports = stdout
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line));
    expect(reports.map((r) => r.model)).toEqual(['pop', 'markov']);
    for (const r of reports) {
      expect(Object.keys(r)).toEqual(
        expect.arrayContaining([
          'dataset',
          'protocol',
          'split',
          'users',
          'model',
          'config',
          'metrics',
          'seconds',
        ]),
      );
      expect(r.protocol).toBe('full');
      expect(r.metrics['NDCG@10']).toBeGreaterThanOrEqual(0);
    }
    const sampled = JSON.parse(
      (await tide('eval', '--data', dir, '--model', 'pop', '--protocol', 'sampled', '--json')).stdout,
    );
    expect(sampled.protocol).toBe('sampled-100');
    const temporal = JSON.parse(
      (await tide('eval', '--data', dir, '--model', 'markov', '--split', 'temporal', '--json')).stdout,
    );
    expect(temporal.split).toMatch(/^temporal/);
    expect(temporal.metrics['Recall@10']).toBeGreaterThan(0);
  });

  it('generate --switch-once --noise and eval --drift report how fast each model follows the switch', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'tide-cli-drift-'));
    await tide(
      'generate',
      '--out',
      dir,
      '--users',
      '120',
      '--items',
      '80',
      '--switch-once',
      '--noise',
      '0.1',
    );
    const text = await tide('eval', '--data', dir, '--drift', '--model', 'pop,markov');
    expect(text.code).toBe(0);
    expect(text.stdout).toMatch(/Following the planted switch \(\d+ users\)/);
    for (const row of ['last 10 events', 'whole history', 'markov']) expect(text.stdout).toContain(row);
    const json = await tide('eval', '--data', dir, '--drift', '--model', 'markov', '--json');
    const { drift } = JSON.parse(json.stdout.trim().split('\n').at(-1)!);
    expect(drift.users).toBeGreaterThan(80); // every user switched once (a few too early to measure)
    const recent = drift.rows.find((r: { model: string }) => r.model === 'last 10 events');
    expect(recent.lags.median).toBeGreaterThan(0);
    expect(drift.rows.find((r: { model: string }) => r.model === 'markov').topTen.users).toBe(drift.users);
  });

  it('train saves a model that eval --model-dir scores exactly as training did', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'tide-train-'));
    await tide('generate', '--out', join(dir, 'world'), '--users', '120', '--items', '60');
    const network = JSON.stringify({ maxLength: 20, embeddingDim: 16, hiddenDim: 16 });
    const args = ['--data', join(dir, 'world'), '--json'];
    const trained = await tide(
      'train',
      ...args,
      '--model',
      'gru',
      '--epochs',
      '2',
      '--model-config',
      network,
      '--out',
      join(dir, 'model'),
    );
    expect(trained.code).toBe(0);
    expect(existsSync(join(dir, 'model', 'manifest.json'))).toBe(true);
    expect(existsSync(join(dir, 'model', 'checkpoint', 'state.json'))).toBe(true);
    const evaluated = await tide('eval', ...args, '--model-dir', join(dir, 'model'));
    expect(evaluated.code).toBe(0);
    const [a, b] = [JSON.parse(trained.stdout), JSON.parse(evaluated.stdout)];
    expect(a.training.epochs).toBe(2);
    expect(b.metrics['NDCG@10']).toBe(a.metrics['NDCG@10']);
    expect(b.metrics['HR@10']).toBe(a.metrics['HR@10']);

    // a warm start from it: same items, so every weight carries over; other items are refused
    const warm = await tide(
      'train',
      '--data',
      join(dir, 'world'),
      '--model',
      'gru',
      '--epochs',
      '1',
      '--model-config',
      network,
      '--init-from',
      join(dir, 'model'),
      '--out',
      join(dir, 'warm'),
    );
    expect(warm.code).toBe(0);
    expect(warm.stderr).toMatch(/warm start from .+: \d+ weights \(.*item_embedding/);
    await tide('generate', '--out', join(dir, 'other'), '--users', '120', '--items', '40');
    const refused = await tide(
      'train',
      '--data',
      join(dir, 'other'),
      '--model',
      'gru',
      '--init-from',
      join(dir, 'model'),
      '--out',
      join(dir, 'x'),
    );
    expect(refused.code).not.toBe(0);
    expect(refused.stderr).toMatch(/--init-from .+: that model was trained on other items \(60 vs 40\)/);
  });

  it('bad input stops with file, line and field, or is skipped and counted with --skip-invalid', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'tide-bad-'));
    const rows = ['user,item,timestamp'];
    for (let u = 0; u < 10; u++) for (let i = 0; i < 6; i++) rows.push(`u${u},i${i},${1000 + u * 10 + i}`);
    rows.splice(5, 0, 'u1,i2,abc');
    await writeFile(join(dir, 'events.csv'), `${rows.join('\n')}\n`);
    const failed = await tide('stats', '--data', join(dir, 'events.csv'));
    expect(failed.code).toBe(2);
    expect(failed.stderr).toContain('events.csv:6: timestamp "abc"');
    const skipped = await tide('stats', '--data', join(dir, 'events.csv'), '--skip-invalid', '--json');
    expect(skipped.code).toBe(0);
    expect(skipped.stderr).toMatch(/skipped 1 invalid rows/);
    expect(JSON.parse(skipped.stdout)).toMatchObject({ events: 60, invalidRows: 1 });
  });

  it('unknown commands, models and flags are clear errors', async () => {
    expect((await tide('frobnicate')).stderr).toContain('unknown command "frobnicate"');
    const model = await tide('eval', '--data', 'synthetic', '--model', 'nope');
    expect(model.code).toBe(2);
    expect(model.stderr).toContain('unknown model "nope"');
    expect((await tide('eval', '--bogus')).stderr).toMatch(/bogus/);
  });
});
