/**
 * The fused model with its time head, trained and tested by `tide eval` on a time split, then served by
 * `tide serve` on the events before the cut, with the events after it posted in time order: at each
 * test case's moment, the server's top 10 for that user is the list `tide eval --rankings` wrote.
 */
import type { ChildProcess } from 'node:child_process';
import { execFile } from 'node:child_process';
import { mkdir, mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import type { RankingLine } from '../../src/cli/rankings-file.js';
import { TideClient } from '../../src/client/index.js';
import { EVENT_TYPES } from '../../src/core/types.js';
import { BIN, startServe } from '../fixtures/tide-serve.js';

const KEY = 'serve-eval-admin-key';
const running = new Set<ChildProcess>();
const tide = (cwd: string, ...args: string[]) => promisify(execFile)('node', [BIN, ...args], { cwd });

afterAll(() => {
  for (const child of running) child.kill('SIGKILL');
});

interface WorldEvent {
  userId: string;
  itemId: string;
  type: (typeof EVENT_TYPES)[number];
  timestamp: number;
  context?: Record<string, string | number>;
}

describe('tide serve against tide eval on a time split', () => {
  it('answers each test case, at its moment, with the ranking tide eval wrote', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'tide-serve-eval-'));
    await tide(dir, 'generate', '--out', 'world', '--users', '300', '--items', '160', '--seed', '7');
    const config = JSON.stringify({ epochs: 2, longTerm: { dim: 16 }, timeHead: true });
    const { stdout } = await tide(
      dir,
      ...['eval', '--data', 'world', '--split', 'temporal', '--model', 'fused', '--model-config', config],
      ...['--save-models', 'models', '--rankings', 'rankings.jsonl', '--k', '10,20', '--json'],
    );
    const report = JSON.parse(stdout.trim().split('\n')[0]) as {
      split: string;
      metrics: Record<string, number>;
    };
    const manifest = JSON.parse(await readFile(join(dir, 'models/fused/manifest.json'), 'utf8'));
    expect(manifest.training.timeHead?.kept).toBe(true);
    const cut = Date.parse(/test from ([^,)]+)/.exec(report.split)![1]);
    const rankings = (await readFile(join(dir, 'rankings.jsonl'), 'utf8'))
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as RankingLine);

    // the server starts from the events before the cut
    const lines = (await readFile(join(dir, 'world/events.jsonl'), 'utf8')).trim().split('\n');
    const events = lines.map((line) => JSON.parse(line) as WorldEvent);
    await mkdir(join(dir, 'before'));
    await writeFile(
      join(dir, 'before/events.jsonl'),
      `${lines.filter((_, k) => events[k].timestamp < cut).join('\n')}\n`,
    );
    await writeFile(join(dir, 'before/items.jsonl'), await readFile(join(dir, 'world/items.jsonl')));
    const history = new Map<string, Set<string>>();
    for (const event of events.filter((e) => e.timestamp < cut)) {
      if (!history.has(event.userId)) history.set(event.userId, new Set());
      history.get(event.userId)!.add(event.itemId);
    }
    const server = await startServe({
      db: join(dir, 'store.db'),
      worldDir: join(dir, 'before'),
      modelDir: join(dir, 'models/fused'),
      cwd: dir,
      apiKey: KEY,
      running,
    });
    const client = new TideClient({ baseUrl: server.url, apiKey: KEY });

    // then everything after it, in time order: at each case's moment, the case is asked first
    const after = events.filter((e) => e.timestamp >= cut).sort((a, b) => a.timestamp - b.timestamp);
    const casesAt = new Map<number, RankingLine[]>();
    for (const line of rankings) {
      const at = Date.parse(line.at!);
      casesAt.set(at, [...(casesAt.get(at) ?? []), line]);
    }
    let compared = 0;
    for (let k = 0; k < after.length; ) {
      const time = after[k].timestamp;
      for (const line of casesAt.get(time) ?? []) {
        const served = await client.recommend(line.userId, {
          k: 10,
          at: time,
          excludeSeen: [...EVENT_TYPES],
        });
        // eval keeps an item of the history that comes again after the cut; the server never does
        const seen = history.get(line.userId) ?? new Set();
        const expected = line.itemIds.filter((id) => !seen.has(id)).slice(0, 10);
        expect(
          served.items.map((item) => item.itemId),
          `${line.userId} at ${line.at}`,
        ).toEqual(expected);
        compared++;
      }
      const group: WorldEvent[] = [];
      while (k < after.length && after[k].timestamp === time) group.push(after[k++]);
      await client.postEvents(group);
    }
    expect(compared).toBe(rankings.length);
    expect(compared).toBeGreaterThan(50);
  }, 300_000);
});
