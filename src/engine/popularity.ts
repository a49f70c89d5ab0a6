/** Event counts per item, kept current as events arrive: the answer for users with no events. */
import type { ItemId } from '../core/types.js';
import type { Catalog } from './catalog.js';

export class Popularity {
  private readonly countsById = new Map<ItemId, number>();

  add(itemId: ItemId): void {
    this.countsById.set(itemId, (this.countsById.get(itemId) ?? 0) + 1);
  }

  /** Takes back one event (a deleted user's). */
  remove(itemId: ItemId): void {
    const count = (this.countsById.get(itemId) ?? 0) - 1;
    if (count > 0) this.countsById.set(itemId, count);
    else this.countsById.delete(itemId);
  }

  /**
   * Counts by catalogue index (0 for items with no events).
   *
   * @example
   * const countsByItem = popularity.counts(catalog);
   */
  counts(catalog: Catalog): Float64Array {
    const out = new Float64Array(catalog.size);
    for (let i = 0; i < catalog.size; i++) out[i] = this.countsById.get(catalog.ids[i]) ?? 0;
    return out;
  }

  /**
   * Only the items with events: catalogue index -> count. Popularity without a pass over a large
   * catalogue.
   */
  countedItems(catalog: Catalog): Map<number, number> {
    const counts = new Map<number, number>();
    for (const [itemId, count] of this.countsById) {
      const index = catalog.indexOf(itemId);
      if (index !== undefined) counts.set(index, count);
    }
    return counts;
  }

  /** Counts as scores; items never seen score lowest but can still be shown. */
  scores(catalog: Catalog): Float32Array {
    return Float32Array.from(this.counts(catalog));
  }
}
