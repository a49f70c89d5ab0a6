import type { Item, ItemId } from '../../core/types.js';
import type { ItemStore } from '../ports.js';
import { validateItems, validateLimit } from '../validation.js';
import type { PostgresConnection } from './connection.js';

/** The catalogue in `items`, one JSON document per item, paged in item_id (code point) order. */
export class PostgresItemStore implements ItemStore {
  constructor(private readonly connection: PostgresConnection) {}

  async put(items: readonly Item[]): Promise<void> {
    validateItems(items);
    if (items.length === 0) return;
    // one statement: a batch naming an item twice keeps its last version, as a loop of upserts would
    const last = new Map(items.map((item) => [item.itemId, JSON.stringify(item)]));
    await this.connection.query(
      `INSERT INTO items (item_id, json) SELECT * FROM unnest($1::text[], $2::text[])
       ON CONFLICT (item_id) DO UPDATE SET json = excluded.json`,
      [[...last.keys()], [...last.values()]],
    );
  }

  async get(itemId: ItemId): Promise<Item | undefined> {
    const [row] = await this.connection.query<{ json: string }>('SELECT json FROM items WHERE item_id = $1', [
      itemId,
    ]);
    return row && (JSON.parse(row.json) as Item);
  }

  async list(afterItemId: ItemId | undefined, limit: number): Promise<Item[]> {
    validateLimit(limit);
    const rows =
      afterItemId === undefined
        ? await this.connection.query<{ json: string }>('SELECT json FROM items ORDER BY item_id LIMIT $1', [
            limit,
          ])
        : await this.connection.query<{ json: string }>(
            'SELECT json FROM items WHERE item_id > $1 ORDER BY item_id LIMIT $2',
            [afterItemId, limit],
          );
    return rows.map((row) => JSON.parse(row.json) as Item);
  }

  async count(): Promise<number> {
    const [row] = await this.connection.query<{ n: number }>('SELECT count(*) AS n FROM items');
    return row.n;
  }
}
