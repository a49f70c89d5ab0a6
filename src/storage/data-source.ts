/** A store's catalogue and event log as a DataSource, so that training and evaluation read a live store. */
import type { DataSource } from '../data/source.js';
import type { Store } from './ports.js';

const PAGE = 10_000;

/**
 * Reads the store page by page (the log in seq order, the catalogue in id order).
 *
 * @example
 * const dataset = await loadDataset(storeDataSource(store), { preprocess });
 */
export function storeDataSource(store: Store): DataSource {
  return {
    name: store.url.replace(/^(\w+:\/\/)[^@]*@/, '$1'),
    format: 'store',
    hasTimestamps: true,
    hasRatings: false,
    async *events() {
      for (let after = 0; ; ) {
        const page = await store.events.scan(after, PAGE);
        if (page.length === 0) return;
        yield page.map(({ seq, ...event }) => event);
        after = page[page.length - 1].seq;
      }
    },
    async *items() {
      for (let after: string | undefined; ; ) {
        const page = await store.items.list(after, PAGE);
        if (page.length === 0) return;
        yield page;
        after = page[page.length - 1].itemId;
      }
    },
  };
}
