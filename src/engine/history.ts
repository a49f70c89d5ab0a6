/**
 * A user's interest over time, recomputed from their logged events: P(c | u) (and the fused gate a)
 * at up to `points` evenly spaced moments of the history, each as `GET /users/:id/interests` would
 * have answered then: the change-point mixture of the events so far, with the category mass of the
 * model's next-item distribution from its window at that time as the prior.
 */
import { EVENT_TYPES } from '../core/types.js';
import type { InterestShift } from '../models/interest-shift.js';
import type { LoggedEvent } from '../storage/ports.js';
import type { Catalog } from './catalog.js';
import { categoryMass } from './category-mass.js';
import { type CategoryLookup, followInterests } from './interest-mixture.js';
import type { InterestPoint } from './types.js';

/** Categories kept per point (the rest are summed into "other"). */
const TOP_CATEGORIES = 8;

/**
 * Interest points for a user's events in time order (none when the model lists no categories),
 * and the interest shift after the last event, from which the interests now are read.
 *
 * @example
 * const { history, shift } = interestHistory(inTimeOrder(await store.events.readUser('u1')), catalog, lookup, 30);
 */
export function interestHistory(
  events: readonly LoggedEvent[],
  catalog: Catalog,
  lookup: CategoryLookup,
  points: number,
): { history: InterestPoint[]; shift: InterestShift } {
  const model = catalog.model;
  if (!model?.categories || points <= 0)
    return { history: [], shift: followInterests(events, catalog, lookup) };
  const categories = model.categories;
  // the model's window reads its own items only; the points are spread over those events
  const warm: { index: number; at: number; type: number; position: number }[] = [];
  events.forEach((event, position) => {
    const index = catalog.indexOf(event.itemId);
    if (index === undefined || index >= catalog.warmCount) return;
    warm.push({ index, at: event.timestamp, type: EVENT_TYPES.indexOf(event.type), position });
  });
  const step = Math.max(1, warm.length / points);
  const atPosition = new Map<number, number>();
  for (let p = step; Math.round(p) <= warm.length; p += step) {
    const end = Math.round(p);
    atPosition.set(warm[end - 1].position, end);
  }
  const vector = new Float32Array(model.dim);
  const scores = new Float32Array(model.itemIds.length);
  const mass = new Float32Array(categories.length);
  const mixture = new Float32Array(categories.length);
  const history: InterestPoint[] = [];
  const shift = followInterests(events, catalog, lookup, (event, position, soFar) => {
    const end = atPosition.get(position);
    if (end === undefined) return;
    const window = warm.slice(Math.max(0, end - model.maxLength), end);
    const diagnostics = model.encode(
      {
        user: -1,
        history: Int32Array.from(window, (e) => e.index),
        timestamps: Float64Array.from(window, (e) => e.at),
        types: Uint8Array.from(window, (e) => e.type),
      },
      vector,
    );
    model.score(vector, scores);
    categoryMass(scores, catalog.items, categories, mass);
    soFar.estimate(mass, mixture);
    const ranked = categories
      .map((name, c) => ({ name, probability: mixture[c] }))
      .sort((x, y) => y.probability - x.probability);
    const top: Record<string, number> = {};
    for (const { name, probability } of ranked.slice(0, TOP_CATEGORIES)) top[name] = probability;
    const rest = ranked.slice(TOP_CATEGORIES).reduce((sum, c) => sum + c.probability, 0);
    if (rest > 0) top.other = rest;
    const a = diagnostics.a;
    history.push({
      at: event.timestamp,
      seq: event.seq,
      ...(a !== undefined && { shortTermShare: a, a }),
      categories: top,
    });
  });
  return { history, shift };
}

/**
 * The events by time, ties in arrival order: the order offline reading gives a history and the
 * engine's state keeps, whatever order the events arrived in.
 */
export function inTimeOrder(events: readonly LoggedEvent[]): LoggedEvent[] {
  return [...events].sort((a, b) => a.timestamp - b.timestamp || a.seq - b.seq);
}
