/**
 * One Postgres database (node-postgres pool) and the rules every operation on it follows: refuse once
 * closed, run in the store's schema, and report database failures as TideError('STORAGE') naming the
 * server (never the password).
 */
import pg from 'pg';
import { TideError } from '../../core/errors.js';
import { closedStoreError } from '../records.js';
import { migrate } from './schema.js';

/** BIGINT columns (seqs) as numbers: every seq Tide gives stays far below 2^53. */
const INT8_OID = 20;
const types = {
  getTypeParser: ((oid: number, format?: string) =>
    oid === INT8_OID
      ? (value: string) => Number(value)
      : pg.types.getTypeParser(oid, format as 'text')) as pg.CustomTypesConfig['getTypeParser'],
};

/** Where the store lives: the connection URL without Tide's own parameter, and the schema. */
export function parsePostgresUrl(url: string): { connectionString: string; schema: string; shown: string } {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new TideError(
      'CONFIG',
      `store URL "${url.replace(/:[^:@/]*@/, ':***@')}": not a valid postgres:// URL`,
    );
  }
  const schema = parsed.searchParams.get('schema') ?? 'public';
  if (!/^[a-z_][a-z0-9_]{0,62}$/.test(schema))
    throw new TideError(
      'CONFIG',
      `store URL: schema "${schema}" must be a lower-case SQL name (letters, digits, _)`,
    );
  parsed.searchParams.delete('schema');
  const shown = `postgres://${parsed.host}${parsed.pathname}${schema === 'public' ? '' : `?schema=${schema}`}`;
  return { connectionString: parsed.toString(), schema, shown };
}

export class PostgresConnection {
  private closed = false;

  private constructor(
    private readonly pool: pg.Pool,
    readonly url: string,
    /** The server and database, for messages (no password). */
    readonly shown: string,
  ) {}

  /**
   * Connects, creates the schema when missing and migrates it.
   *
   * @throws TideError('STORAGE') naming the server when it cannot be reached or the schema is newer.
   */
  static async open(url: string): Promise<PostgresConnection> {
    const { connectionString, schema, shown } = parsePostgresUrl(url);
    const pool = new pg.Pool({ connectionString, types, max: 8, options: `-c search_path=${schema}` });
    // an idle client that loses its server must not crash the process
    pool.on('error', () => undefined);
    const connection = new PostgresConnection(pool, url, shown);
    try {
      await connection.transaction((client) => migrate(client, schema, shown));
      return connection;
    } catch (error) {
      await pool.end().catch(() => undefined);
      throw connection.storageError(error);
    }
  }

  /** One statement on any pooled connection. */
  async query<R extends pg.QueryResultRow>(text: string, values: unknown[] = []): Promise<R[]> {
    if (this.closed) throw closedStoreError(this.url);
    try {
      return (await this.pool.query<R>(text, values)).rows;
    } catch (error) {
      throw this.storageError(error);
    }
  }

  /** Runs `work` in one transaction on one connection: committed when it resolves, rolled back when it throws. */
  async transaction<T>(work: (client: pg.PoolClient) => Promise<T>): Promise<T> {
    if (this.closed) throw closedStoreError(this.url);
    const client = await this.pool.connect().catch((error: unknown) => {
      throw this.storageError(error);
    });
    try {
      await client.query('BEGIN');
      const result = await work(client);
      await client.query('COMMIT');
      return result;
    } catch (error) {
      await client.query('ROLLBACK').catch(() => undefined);
      throw this.storageError(error);
    } finally {
      client.release();
    }
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.pool.end();
  }

  private storageError(error: unknown): TideError {
    if (error instanceof TideError) return error;
    const reason = error instanceof Error ? error.message : String(error);
    return new TideError('STORAGE', `${this.shown}: ${reason}`, undefined, { cause: error });
  }
}
