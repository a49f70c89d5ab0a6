import { EVENT_TYPES, type Event } from '../core/types.js';
import type { Dataset } from './dataset.js';

/**
 * The events of dense user `u` of a data set, in order, as clients send them to the engine (under
 * `userId`, by default the data set's own id of the user).
 *
 * @example
 * await engine.ingest(userEvents(dataset, 3));
 */
export function userEvents(dataset: Dataset, u: number, userId = dataset.userIds.idOf(u)): Event[] {
  const events: Event[] = [];
  for (let p = dataset.offsets[u]; p < dataset.offsets[u + 1]; p++) {
    events.push({
      userId,
      itemId: dataset.itemIds.idOf(dataset.items[p]),
      type: EVENT_TYPES[dataset.types[p]],
      ...(dataset.timestamps && { timestamp: dataset.timestamps[p] }),
      ...(dataset.values && Number.isFinite(dataset.values[p]) && { value: dataset.values[p] }),
    });
  }
  return events;
}
