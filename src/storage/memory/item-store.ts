import type { Item, ItemId } from '../../core/types.js';
import type { ItemStore } from '../ports.js';
import { validateItems, validateLimit } from '../validation.js';
import { byCodePoint } from './order.js';

export class MemoryItemStore implements ItemStore {
  /** Items as JSON, so what reads back is exactly what SQLite would give. */
  private readonly jsonById = new Map<ItemId, string>();

  constructor(private readonly ensureOpen: () => void) {}

  async put(items: readonly Item[]): Promise<void> {
    this.ensureOpen();
    validateItems(items);
    for (const item of items) this.jsonById.set(item.itemId, JSON.stringify(item));
  }

  async get(itemId: ItemId): Promise<Item | undefined> {
    this.ensureOpen();
    const json = this.jsonById.get(itemId);
    return json === undefined ? undefined : (JSON.parse(json) as Item);
  }

  async list(afterItemId: ItemId | undefined, limit: number): Promise<Item[]> {
    this.ensureOpen();
    validateLimit(limit);
    const ids = [...this.jsonById.keys()].sort(byCodePoint);
    const from = afterItemId === undefined ? ids : ids.filter((id) => byCodePoint(id, afterItemId) > 0);
    return from.slice(0, limit).map((id) => JSON.parse(this.jsonById.get(id)!) as Item);
  }

  async count(): Promise<number> {
    this.ensureOpen();
    return this.jsonById.size;
  }
}
