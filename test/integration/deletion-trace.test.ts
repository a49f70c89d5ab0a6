/**
 * A privacy officer's check of DELETE /users/:id on a running `tide serve` (SQLite): once it has
 * answered, no byte of the database file, its WAL or its shared-memory file, no answer of the
 * service and no line the server printed holds the user's id or the content of its events. Before
 * the deletion the same search finds them, so the check can fail.
 */
import type { ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TideClient } from '../../src/client/index.js';
import { exited, type RunningServe, serveWorkspace, startServe } from '../fixtures/tide-serve.js';

const KEY = 'deletion-test-key';
const SUBJECT = 'subject-7Qx3-privacy';
/** Stored only in the subject's events (a context value), to find the events themselves. */
const MARK = 'trace-Zk9-subject-only';

let dir: string;
let modelDir: string;
const running = new Set<ChildProcess>();

beforeAll(async () => {
  ({ dir, modelDir } = await serveWorkspace('tide-deletion-'));
}, 180_000);

afterAll(() => {
  for (const child of running) child.kill('SIGKILL');
});

/** The files of the store that hold the subject's id or mark, by name. */
async function filesHolding(db: string, needles: readonly string[]): Promise<string[]> {
  const found: string[] = [];
  for (const file of [db, `${db}-wal`, `${db}-shm`]) {
    if (!existsSync(file)) continue;
    const bytes = await readFile(file);
    for (const needle of needles)
      if (bytes.includes(Buffer.from(needle, 'utf8'))) found.push(`${file}: ${needle}`);
  }
  return found;
}

describe('DELETE /users/:id', () => {
  it('leaves no trace of the user in the database files, the answers or the log', async () => {
    const db = join(dir, 'tide.db');
    const server: RunningServe = await startServe({
      db,
      worldDir: join(dir, 'world'),
      modelDir,
      cwd: dir,
      apiKey: KEY,
      running,
    });
    const tide = new TideClient({ baseUrl: server.url, apiKey: KEY });
    const items = (await readFile(join(dir, 'world', 'items.jsonl'), 'utf8'))
      .trim()
      .split('\n')
      .map((line) => (JSON.parse(line) as { itemId: string }).itemId);
    const now = Date.now();
    const events = items.slice(0, 40).map((itemId, n) => ({
      userId: SUBJECT,
      itemId,
      type: 'click' as const,
      timestamp: now - (40 - n) * 60_000,
      context: { note: MARK },
    }));
    const others = items
      .slice(0, 20)
      .map((itemId) => ({ userId: 'someone-else', itemId, type: 'view' as const }));
    expect((await tide.postEvents(events)).accepted).toBe(40);
    expect((await tide.postEvents(others)).accepted).toBe(20);
    // every place the subject reaches: a state, its interest history, the dashboard's user list
    expect((await tide.recommend(SUBJECT, { k: 10 })).events).toBe(40);
    expect((await tide.interests(SUBJECT)).events).toBe(40);
    expect(JSON.stringify(await tide.users({ query: 'subject' }))).toContain(SUBJECT);
    await new Promise((resolve) => setTimeout(resolve, 1500)); // the engine's 1 s flush writes states
    expect(await filesHolding(db, [SUBJECT, MARK])).not.toEqual([]);

    expect((await tide.deleteUser(SUBJECT)).events).toBe(40);
    expect(await filesHolding(db, [SUBJECT, MARK])).toEqual([]);
    expect(JSON.stringify(await tide.users({ query: 'subject' }))).not.toContain(SUBJECT);
    expect((await tide.interests(SUBJECT)).events).toBe(0);
    // what the deletion did not touch is still there
    expect((await tide.interests('someone-else')).events).toBe(20);

    // a flush later and after a clean stop, still nothing; nor in what the server printed
    await new Promise((resolve) => setTimeout(resolve, 1500));
    expect(await filesHolding(db, [SUBJECT, MARK])).toEqual([]);
    server.child.kill('SIGTERM');
    expect(await exited(server.child)).toBe(0);
    expect(await filesHolding(db, [SUBJECT, MARK])).toEqual([]);
    expect(server.output()).not.toContain(SUBJECT);
    expect(server.output()).not.toContain(MARK);
  }, 240_000);
});
