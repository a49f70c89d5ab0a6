import type Database from 'better-sqlite3';
import type { ModelRecord, ModelRegistry } from '../ports.js';
import { unknownModelError } from '../records.js';
import { validateModel } from '../validation.js';
import type { SqliteConnection } from './connection.js';

interface ModelRow {
  id: string;
  dir: string;
  family: string;
  created_at: number;
  metrics: string;
  active: number;
}

const modelFromRow = (row: ModelRow): ModelRecord => ({
  id: row.id,
  dir: row.dir,
  family: row.family,
  createdAt: row.created_at,
  metrics: JSON.parse(row.metrics) as Record<string, number>,
  active: row.active === 1,
});

const COLUMNS = 'id, dir, family, created_at, metrics, active';

/** The `models` table; a partial unique index in the schema keeps at most one row active. */
export class SqliteModelRegistry implements ModelRegistry {
  private readonly upsert: Database.Statement<[string, string, string, number, string]>;
  private readonly allModels: Database.Statement<[], ModelRow>;
  private readonly activeModel: Database.Statement<[], ModelRow>;
  private readonly activateOnly: (id: string) => void;

  constructor(private readonly connection: SqliteConnection) {
    const db = connection.db;
    // Re-registering an id updates its record and keeps whether it is active.
    this.upsert = db.prepare(
      `INSERT INTO models (id, dir, family, created_at, metrics) VALUES (?, ?, ?, ?, ?)
       ON CONFLICT (id) DO UPDATE SET dir = excluded.dir, family = excluded.family,
         created_at = excluded.created_at, metrics = excluded.metrics`,
    );
    this.allModels = db.prepare(`SELECT ${COLUMNS} FROM models ORDER BY created_at, id`);
    this.activeModel = db.prepare(`SELECT ${COLUMNS} FROM models WHERE active = 1`);
    const ids = db.prepare<[], { id: string }>('SELECT id FROM models ORDER BY id');
    const exists = db.prepare<[string], { id: string }>('SELECT id FROM models WHERE id = ?');
    const deactivateOthers = db.prepare<[string]>(
      'UPDATE models SET active = 0 WHERE active = 1 AND id <> ?',
    );
    const activate = db.prepare<[string]>('UPDATE models SET active = 1 WHERE id = ?');
    // The old one goes off first: the unique index is checked row by row, not at commit.
    const transaction = db.transaction((id: string) => {
      if (!exists.get(id))
        throw unknownModelError(
          id,
          ids.all().map((row) => row.id),
        );
      deactivateOthers.run(id);
      activate.run(id);
    });
    this.activateOnly = (id) => transaction.immediate(id);
  }

  async register(record: Omit<ModelRecord, 'active'>): Promise<void> {
    this.connection.use(() => {
      validateModel(record);
      const { id, dir, family, createdAt, metrics } = record;
      this.upsert.run(id, dir, family, createdAt, JSON.stringify(metrics));
    });
  }

  async list(): Promise<ModelRecord[]> {
    return this.connection.use(() => this.allModels.all().map(modelFromRow));
  }

  async active(): Promise<ModelRecord | undefined> {
    return this.connection.use(() => {
      const row = this.activeModel.get();
      return row && modelFromRow(row);
    });
  }

  async activate(id: string): Promise<void> {
    this.connection.use(() => this.activateOnly(id));
  }
}
