import type Database from 'better-sqlite3';
import type { ModelRecord, ModelRegistry } from '../ports.js';
import { MODEL_COLUMNS as COLUMNS, type ModelRow, modelFromRow } from '../rows.js';
import { validateModel } from '../validation.js';
import type { SqliteConnection } from './connection.js';
import type { Writer } from './writer.js';

/** The `models` table; a partial unique index in the schema keeps at most one row active. */
export class SqliteModelRegistry implements ModelRegistry {
  private readonly allModels: Database.Statement<[], ModelRow>;
  private readonly activeModel: Database.Statement<[], ModelRow>;

  constructor(
    private readonly connection: SqliteConnection,
    private readonly writer: Writer,
  ) {
    const db = connection.db;
    this.allModels = db.prepare(`SELECT ${COLUMNS} FROM models ORDER BY created_at, id`);
    this.activeModel = db.prepare(`SELECT ${COLUMNS} FROM models WHERE active = 1`);
  }

  async register(record: Omit<ModelRecord, 'active'>): Promise<void> {
    this.connection.use(() => validateModel(record));
    await this.writer.call('registerModel', record);
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
    await this.writer.call('activateModel', id);
  }
}
