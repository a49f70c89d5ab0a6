import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { LoggedEvent } from '../../src/storage/index.js';
import { openStore } from '../../src/storage/index.js';
import { tempFiles } from '../fixtures/files.js';
import { CRASH_TOTAL, crashBatchSizes, crashEvent } from '../fixtures/storage-crash-writer.js';

const ROOT = new URL('../../', import.meta.url).pathname;
const WRITER = join(ROOT, 'test/fixtures/storage-crash-writer.ts');
const KILL_AFTER_ACKED = 3000;

/**
 * Runs the writer until it has acknowledged KILL_AFTER_ACKED events, then SIGKILLs it (no exit
 * handlers, no close: the WAL is left as the crash left it). Resolves to the highest acknowledged seq.
 */
function writeThenKill(path: string, seed: number): Promise<{ acked: number; signal: string | null }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', WRITER, path, String(seed)], {
      cwd: ROOT,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let acked = 0;
    let pending = '';
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk;
    });
    child.stdout.on('data', (chunk: Buffer) => {
      pending += chunk;
      const lines = pending.split('\n');
      pending = lines.pop() ?? '';
      for (const line of lines) acked = Math.max(acked, Number(line));
      if (acked >= KILL_AFTER_ACKED) child.kill('SIGKILL');
    });
    child.on('error', reject);
    child.on('exit', (code, signal) => {
      if (signal === null && code !== 0) reject(new Error(`writer failed (exit ${code}): ${stderr}`));
      else resolve({ acked, signal });
    });
  });
}

async function readWholeLog(url: string): Promise<{ events: LoggedEvent[]; lastSeq: number; count: number }> {
  const store = await openStore(url);
  try {
    const events: LoggedEvent[] = [];
    for (let page = await store.events.scan(0, 1000); page.length > 0; ) {
      events.push(...page);
      page = await store.events.scan(page[page.length - 1].seq, 1000);
    }
    return { events, lastSeq: await store.events.lastSeq(), count: await store.events.count() };
  } finally {
    await store.close();
  }
}

describe('sqlite store under kill -9', () => {
  const { dir } = tempFiles('tide-crash-');

  it('keeps every acknowledged event, whole batches only, with no gaps in seq', async () => {
    const path = join(dir, 'crash.db');
    const seed = 20240611;
    const { acked, signal } = await writeThenKill(path, seed);
    expect(signal, 'the writer finished before it could be killed').toBe('SIGKILL');
    expect(acked).toBeGreaterThanOrEqual(KILL_AFTER_ACKED);
    expect(acked).toBeLessThan(CRASH_TOTAL);

    const { events, lastSeq, count } = await readWholeLog(`sqlite://${path}`);
    // At most the batch in flight at the kill got in beyond the last ack, and only as a whole.
    const batchEnds: number[] = [];
    for (const size of crashBatchSizes(seed)) batchEnds.push((batchEnds.at(-1) ?? 0) + size);
    const nextEnd = batchEnds.find((end) => end > acked)!;
    expect(batchEnds).toContain(acked);
    expect([acked, nextEnd]).toContain(lastSeq);
    expect(count).toBe(lastSeq);
    expect(events.map((e) => e.seq)).toEqual(Array.from({ length: lastSeq }, (_, i) => i + 1));
    for (const event of events) expect(event).toStrictEqual({ ...crashEvent(event.seq - 1), seq: event.seq });

    // The store recovered from the crash is writable and goes on numbering after the last seq.
    const store = await openStore(`sqlite://${path}`);
    expect((await store.events.append([crashEvent(0)])).firstSeq).toBe(lastSeq + 1);
    await store.close();
  });
});
