import type { Event, Item } from '../core/types.js';
import type { DataSource } from './source.js';

/**
 * A DataSource over events and items already in memory (library use, tests).
 *
 * @example
 * const source = memorySource([{ userId: 'a', itemId: 'x', type: 'view', timestamp: 1 }]);
 */
export function memorySource(
  events: readonly Event[],
  items: readonly Item[] = [],
  name = 'memory',
): DataSource {
  return {
    name,
    format: 'memory',
    hasTimestamps: events.length > 0 && events.every((e) => e.timestamp !== undefined),
    hasRatings: events.some((e) => e.value !== undefined),
    async *events() {
      yield events.slice();
    },
    async *items() {
      yield items.slice();
    },
  };
}
