/**
 * One writer per SQLite file: `tide serve` holds `<file>.writer-lock` (its pid, host and start time)
 * while it runs, so that a second server on the same file refuses to start, naming the first, instead
 * of keeping a view of its own and overwriting the other's states. A lock left by a process that is
 * gone (kill -9, a crash) is taken over.
 */
import { readFileSync, unlinkSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { TideError } from '../../core/errors.js';

interface Holder {
  pid: number;
  host: string;
  since: string;
}

/**
 * Takes the lock of the database at `path`; returns its release.
 *
 * @throws TideError('STORAGE') naming the process that holds it.
 * @example
 * const release = acquireWriterLock('./tide.db');
 * // ... serve ...
 * release();
 */
export function acquireWriterLock(path: string): () => void {
  const lockPath = `${path}.writer-lock`;
  const me: Holder = { pid: process.pid, host: hostname(), since: new Date().toISOString() };
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      writeFileSync(lockPath, JSON.stringify(me), { flag: 'wx' });
      return () => {
        if (holderOf(lockPath)?.pid === me.pid) unlinkSync(lockPath);
      };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
    const holder = holderOf(lockPath);
    if (holder && isAlive(holder)) {
      throw new TideError(
        'STORAGE',
        `${path} is served by another process (pid ${holder.pid} on ${holder.host}, since ${holder.since}): one writer per SQLite file; stop it first, or remove ${lockPath} if that process is gone`,
      );
    }
    // the holder is gone: take its lock over
    unlinkSync(lockPath);
  }
  throw new TideError('STORAGE', `${lockPath}: could not take the lock`);
}

function holderOf(lockPath: string): Holder | null {
  try {
    return JSON.parse(readFileSync(lockPath, 'utf8')) as Holder;
  } catch {
    return null;
  }
}

/** True when the holder's process still runs (on another host: assumed so). */
function isAlive(holder: Holder): boolean {
  if (holder.host !== hostname()) return true;
  try {
    process.kill(holder.pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
