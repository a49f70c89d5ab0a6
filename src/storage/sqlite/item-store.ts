import type Database from 'better-sqlite3';
import type { Item, ItemId } from '../../core/types.js';
import type { ItemStore } from '../ports.js';
import { validateItems, validateLimit } from '../validation.js';
import type { SqliteConnection } from './connection.js';

/** The catalogue in the `items` table, one JSON document per item, paged in item_id (byte) order. */
export class SqliteItemStore implements ItemStore {
  private readonly upsert: Database.Statement<[string, string]>;
  private readonly byId: Database.Statement<[string], { json: string }>;
  private readonly firstPage: Database.Statement<[number], { json: string }>;
  private readonly pageAfter: Database.Statement<[string, number], { json: string }>;
  private readonly countItems: Database.Statement<[], { n: number }>;
  private readonly putBatch: (items: readonly Item[]) => void;

  constructor(private readonly connection: SqliteConnection) {
    const db = connection.db;
    this.upsert = db.prepare('INSERT OR REPLACE INTO items (item_id, json) VALUES (?, ?)');
    this.byId = db.prepare('SELECT json FROM items WHERE item_id = ?');
    this.firstPage = db.prepare('SELECT json FROM items ORDER BY item_id LIMIT ?');
    this.pageAfter = db.prepare('SELECT json FROM items WHERE item_id > ? ORDER BY item_id LIMIT ?');
    this.countItems = db.prepare('SELECT COUNT(*) AS n FROM items');
    const transaction = db.transaction((items: readonly Item[]) => {
      for (const item of items) this.upsert.run(item.itemId, JSON.stringify(item));
    });
    this.putBatch = (items) => transaction.immediate(items);
  }

  async put(items: readonly Item[]): Promise<void> {
    this.connection.use(() => {
      validateItems(items);
      this.putBatch(items);
    });
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
