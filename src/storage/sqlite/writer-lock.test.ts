import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { acquireWriterLock } from './writer-lock.js';

describe('SQLite writer lock', () => {
  it('lets one process hold a file; a second taker is refused, named; released, it is free again', () => {
    const db = join(mkdtempSync(join(tmpdir(), 'tide-lock-')), 'tide.db');
    const release = acquireWriterLock(db);
    expect(() => acquireWriterLock(db)).toThrow(
      new RegExp(`is served by another process \\(pid ${process.pid} on .*one writer per SQLite file`),
    );
    release();
    expect(existsSync(`${db}.writer-lock`)).toBe(false);
    acquireWriterLock(db)();
  });

  it('takes over the lock of a process that is gone', () => {
    const db = join(mkdtempSync(join(tmpdir(), 'tide-lock-')), 'tide.db');
    const gone = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))']);
    const pid = Number(gone.stdout.toString());
    writeFileSync(
      `${db}.writer-lock`,
      JSON.stringify({ pid, host: hostname(), since: '2026-01-01T00:00:00Z' }),
    );
    const release = acquireWriterLock(db);
    expect(() => acquireWriterLock(db)).toThrow(`pid ${process.pid}`);
    release();
  });
});
