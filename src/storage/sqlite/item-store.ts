import type Database from 'better-sqlite3';
import type { Item, ItemId } from '../../core/types.js';
import type { ItemStore } from '../ports.js';
import { validateItems, validateLimit } from '../validation.js';
import type { SqliteConnection } from './connection.js';
import type { Writer } from './writer.js';

/** The catalogue in the `items` table, one JSON document per item, paged in item_id (byte) order. */
export class SqliteItemStore implements ItemStore {
  private readonly byId: Database.Statement<[string], { json: string }>;
  private readonly firstPage: Database.Statement<[number], { json: string }>;
  private readonly pageAfter: Database.Statement<[string, number], { json: string }>;
  private readonly countItems: Database.Statement<[], { n: number }>;

  constructor(
    private readonly connection: SqliteConnection,
    private readonly writer: Writer,
  ) {
    const db = connection.db;
    this.byId = db.prepare('SELECT json FROM items WHERE item_id = ?');
    this.firstPage = db.prepare('SELECT json FROM items ORDER BY item_id LIMIT ?');
    this.pageAfter = db.prepare('SELECT json FROM items WHERE item_id > ? ORDER BY item_id LIMIT ?');
    this.countItems = db.prepare('SELECT COUNT(*) AS n FROM items');
  }

  async put(items: readonly Item[]): Promise<void> {
    this.connection.use(() => validateItems(items));
    await this.writer.call('putItems', items);
  }

  async get(itemId: ItemId): Promise<Item | undefined> {
    return this.connection.use(() => {
      const row = this.byId.get(itemId);
      return row && (JSON.parse(row.json) as Item);
    });
  }

  async list(afterItemId: ItemId | undefined, limit: number): Promise<Item[]> {
    return this.connection.use(() => {
      validateLimit(limit);
      const rows =
        afterItemId === undefined ? this.firstPage.all(limit) : this.pageAfter.all(afterItemId, limit);
      return rows.map((row) => JSON.parse(row.json) as Item);
    });
  }

  async count(): Promise<number> {
    return this.connection.use(() => this.countItems.get()!.n);
  }
}
