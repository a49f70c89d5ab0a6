/**
 * One open SQLite file and the rules every operation on it follows: refuse once closed, and report
 * SQLite failures (busy, disk full, corrupt file) as TideError('STORAGE') naming the file.
 */
import Database from 'better-sqlite3';
import { TideError } from '../../core/errors.js';
import { closedStoreError } from '../records.js';
import { migrate } from './schema.js';
import { storageError } from './writes.js';

/** How long a write waits for another process's lock before failing with SQLITE_BUSY. */
const BUSY_TIMEOUT_MS = 5000;

export class SqliteConnection {
  private closed = false;

  private constructor(
    readonly db: Database.Database,
    readonly path: string,
    readonly url: string,
  ) {}

  /**
   * Opens (creating if needed) and migrates the file. `synchronous=FULL` makes every commit wait
   * for the WAL to reach the disk, so an append that resolved survives a power cut, not only a crash;
   * `secure_delete` zeroes what a deletion frees, so a deleted user's bytes do not linger in free pages.
   *
   * @throws TideError('STORAGE') naming the path when it cannot be opened or is not a Tide file.
   */
  static open(path: string, url: string): SqliteConnection {
    let db: Database.Database | undefined;
    try {
      db = new Database(path);
      db.pragma(`busy_timeout = ${BUSY_TIMEOUT_MS}`);
      db.pragma('journal_mode = WAL');
      db.pragma('synchronous = FULL');
      db.pragma('foreign_keys = ON');
      db.pragma('secure_delete = ON');
      migrate(db, path);
      return new SqliteConnection(db, path, url);
    } catch (error) {
      db?.close();
      if (error instanceof TideError) throw error;
      const reason = error instanceof Error ? error.message : String(error);
      throw new TideError('STORAGE', `cannot open sqlite store ${path}: ${reason}`, undefined, {
        cause: error,
      });
    }
  }

  /** Runs one store operation on the open file; see the class comment for what it guarantees. */
  use<T>(operation: (db: Database.Database) => T): T {
    if (this.closed) throw closedStoreError(this.url);
    try {
      return operation(this.db);
    } catch (error) {
      throw storageError(this.path, error);
    }
  }

  /** Closes the file (checkpointing the WAL); closing twice is harmless. */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.db.close();
  }
}
