/**
 * The Postgres schema as a list of migrations, applied in order at start; the version a schema is
 * at lives in its `tide_schema` table. Two servers starting together take an advisory lock, so one
 * migrates and the other finds it done.
 */
import type pg from 'pg';
import { TideError } from '../../core/errors.js';

const MIGRATIONS: readonly string[] = [
  // 1: the first layout (the SQLite one, in Postgres types).
  `
  CREATE TABLE log_counter (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    last_seq BIGINT NOT NULL          -- the last seq given; deleting events never moves it back
  );
  INSERT INTO log_counter VALUES (1, 0);

  CREATE TABLE events (
    seq BIGINT PRIMARY KEY,
    user_id TEXT NOT NULL,
    item_id TEXT NOT NULL,
    type TEXT NOT NULL,
    value DOUBLE PRECISION,           -- NULL when the event had none (distinct from 0)
    timestamp DOUBLE PRECISION NOT NULL,
    context TEXT                      -- JSON object; NULL when the event had none (distinct from {})
  );
  CREATE INDEX events_by_user ON events (user_id, seq);

  CREATE TABLE idempotency (
    key TEXT PRIMARY KEY,
    first_seq BIGINT NOT NULL,
    last_seq BIGINT NOT NULL,
    count INTEGER NOT NULL
  );

  -- "C": code point order, as the ItemStore contract pages (and SQLite compares)
  CREATE TABLE items (item_id TEXT COLLATE "C" PRIMARY KEY, json TEXT NOT NULL);

  CREATE TABLE user_states (
    user_id TEXT NOT NULL,
    model_id TEXT NOT NULL,
    applied_seq BIGINT NOT NULL,
    state BYTEA NOT NULL,
    updated_at DOUBLE PRECISION NOT NULL,
    PRIMARY KEY (user_id, model_id)
  );
  CREATE INDEX user_states_by_model ON user_states (model_id);

  CREATE TABLE snapshots (
    id BIGSERIAL PRIMARY KEY,         -- arrival order, the tiebreak between equal (at, seq)
    user_id TEXT NOT NULL,
    at DOUBLE PRECISION NOT NULL,
    seq BIGINT NOT NULL,
    data TEXT NOT NULL
  );
  CREATE INDEX snapshots_by_user ON snapshots (user_id, at, seq, id);

  CREATE TABLE models (
    id TEXT PRIMARY KEY,
    dir TEXT NOT NULL,
    family TEXT NOT NULL,
    created_at DOUBLE PRECISION NOT NULL,
    metrics TEXT NOT NULL,            -- JSON object of metric name -> number
    active BOOLEAN NOT NULL DEFAULT false
  );
  -- the database itself refuses a second active model, whatever code writes to it
  CREATE UNIQUE INDEX models_one_active ON models (active) WHERE active;
  `,
];

/** The version this code writes; a schema at a higher one was written by a newer Tide. */
export const SCHEMA_VERSION = MIGRATIONS.length;

/** Creates `schema` when missing and brings it to SCHEMA_VERSION, inside the caller's transaction. */
export async function migrate(client: pg.PoolClient, schema: string, shown: string): Promise<void> {
  await client.query(`SELECT pg_advisory_xact_lock(hashtext('tide-migrate:' || $1))`, [schema]);
  await client.query(`CREATE SCHEMA IF NOT EXISTS ${schema}`);
  await client.query(`SET LOCAL search_path TO ${schema}`);
  await client.query('CREATE TABLE IF NOT EXISTS tide_schema (version INTEGER NOT NULL)');
  const rows = (await client.query<{ version: number }>('SELECT version FROM tide_schema')).rows;
  let version = rows[0]?.version ?? 0;
  if (rows.length === 0) await client.query('INSERT INTO tide_schema VALUES (0)');
  if (version > SCHEMA_VERSION) {
    throw new TideError(
      'STORAGE',
      `${shown}: schema version ${version} is newer than this Tide knows (${SCHEMA_VERSION}); upgrade Tide`,
    );
  }
  for (; version < SCHEMA_VERSION; version++) {
    await client.query(MIGRATIONS[version]);
    await client.query('UPDATE tide_schema SET version = $1', [version + 1]);
  }
}
