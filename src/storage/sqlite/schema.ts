/**
 * The SQLite schema as a list of migrations: migration `i` takes a file from version `i` to `i + 1`,
 * and the version lives in the file header (`PRAGMA user_version`), so a file knows its own layout.
 * To change the schema, append a migration; never edit one that has shipped.
 */
import type Database from 'better-sqlite3';
import { TideError } from '../../core/errors.js';

const MIGRATIONS: readonly string[] = [
  // 1: the first layout.
  `
  CREATE TABLE events (
    seq INTEGER PRIMARY KEY AUTOINCREMENT, -- AUTOINCREMENT: a deleted user's seqs are never given again
    user_id TEXT NOT NULL,
    item_id TEXT NOT NULL,
    type TEXT NOT NULL,
    value REAL,                            -- NULL when the event had none (distinct from 0)
    timestamp INTEGER NOT NULL,
    context TEXT                           -- JSON object; NULL when the event had none (distinct from {})
  );
  CREATE INDEX events_by_user ON events (user_id, seq);

  CREATE TABLE idempotency (
    key TEXT PRIMARY KEY,
    first_seq INTEGER NOT NULL,
    last_seq INTEGER NOT NULL,
    count INTEGER NOT NULL
  ) WITHOUT ROWID;

  CREATE TABLE items (item_id TEXT PRIMARY KEY, json TEXT NOT NULL) WITHOUT ROWID;

  CREATE TABLE user_states (
    user_id TEXT NOT NULL,
    model_id TEXT NOT NULL,
    applied_seq INTEGER NOT NULL,
    state BLOB NOT NULL,
    updated_at INTEGER NOT NULL,
    PRIMARY KEY (user_id, model_id)
  ) WITHOUT ROWID;
  CREATE INDEX user_states_by_model ON user_states (model_id);

  CREATE TABLE snapshots (
    id INTEGER PRIMARY KEY,                -- arrival order, the tiebreak between equal (at, seq)
    user_id TEXT NOT NULL,
    at INTEGER NOT NULL,
    seq INTEGER NOT NULL,
    data TEXT NOT NULL
  );
  CREATE INDEX snapshots_by_user ON snapshots (user_id, at, seq, id);

  CREATE TABLE models (
    id TEXT PRIMARY KEY,
    dir TEXT NOT NULL,
    family TEXT NOT NULL,
    created_at INTEGER NOT NULL,
    metrics TEXT NOT NULL,                 -- JSON object of metric name -> number
    active INTEGER NOT NULL DEFAULT 0 CHECK (active IN (0, 1))
  );
  -- The file itself refuses a second active model, whatever code writes to it.
  CREATE UNIQUE INDEX models_one_active ON models (active) WHERE active = 1;
  `,
];

/** The version this code writes; files with a higher one were written by a newer Tide. */
export const SCHEMA_VERSION = MIGRATIONS.length;

function versionOf(db: Database.Database): number {
  return db.pragma('user_version', { simple: true }) as number;
}

/**
 * Brings the file up to SCHEMA_VERSION, one migration per transaction. Each step takes the write
 * lock first and re-reads the version, so two processes opening a fresh file do not both migrate.
 *
 * @throws TideError('STORAGE') when the file is newer than this code.
 */
export function migrate(db: Database.Database, path: string): void {
  const tooNew = (version: number) =>
    new TideError(
      'STORAGE',
      `${path}: schema version ${version} is newer than this Tide knows (${SCHEMA_VERSION}); ` +
        'open it with a newer Tide',
    );
  if (versionOf(db) > SCHEMA_VERSION) throw tooNew(versionOf(db));
  const step = db.transaction(() => {
    const version = versionOf(db);
    if (version > SCHEMA_VERSION) throw tooNew(version);
    if (version === SCHEMA_VERSION) return false;
    db.exec(MIGRATIONS[version]);
    db.pragma(`user_version = ${version + 1}`);
    return true;
  });
  while (step.immediate()) {
    // one migration applied; loop until the file is current
  }
}
