import type { ModelRecord, ModelRegistry } from '../ports.js';
import { unknownModelError } from '../records.js';
import { MODEL_COLUMNS as COLUMNS, type ModelRow, modelFromRow } from '../rows.js';
import { validateModel } from '../validation.js';
import type { PostgresConnection } from './connection.js';

/** The `models` table; a partial unique index keeps at most one row active. */
export class PostgresModelRegistry implements ModelRegistry {
  constructor(private readonly connection: PostgresConnection) {}

  async register(record: Omit<ModelRecord, 'active'>): Promise<void> {
    validateModel(record);
    const { id, dir, family, createdAt, metrics } = record;
    // re-registering an id updates its record and keeps whether it is active
    await this.connection.query(
      `INSERT INTO models (id, dir, family, created_at, metrics) VALUES ($1, $2, $3, $4, $5)
       ON CONFLICT (id) DO UPDATE SET dir = excluded.dir, family = excluded.family,
         created_at = excluded.created_at, metrics = excluded.metrics`,
      [id, dir, family, createdAt, JSON.stringify(metrics)],
    );
  }

  async list(): Promise<ModelRecord[]> {
    return (
      await this.connection.query<ModelRow>(`SELECT ${COLUMNS} FROM models ORDER BY created_at, id`)
    ).map(modelFromRow);
  }

  async active(): Promise<ModelRecord | undefined> {
    const [row] = await this.connection.query<ModelRow>(`SELECT ${COLUMNS} FROM models WHERE active`);
    return row && modelFromRow(row);
  }

  async activate(id: string): Promise<void> {
    await this.connection.transaction(async (client) => {
      const exists = (await client.query('SELECT 1 FROM models WHERE id = $1', [id])).rowCount;
      if (!exists) {
        const ids = (await client.query<{ id: string }>('SELECT id FROM models ORDER BY id')).rows;
        throw unknownModelError(
          id,
          ids.map((row) => row.id),
        );
      }
      // the old one goes off first: the unique index is checked row by row
      await client.query('UPDATE models SET active = false WHERE active AND id <> $1', [id]);
      await client.query('UPDATE models SET active = true WHERE id = $1', [id]);
    });
  }
}
