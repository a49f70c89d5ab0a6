/**
 * A user's interest over time, recomputed from their logged events: P(c | u) (and the fused gate a)
 * at up to `points` evenly spaced moments of the history, each from the model's window at that time.
 */
import { EVENT_TYPES } from '../core/types.js';
import type { LoggedEvent } from '../storage/ports.js';
import type { Catalog } from './catalog.js';
import type { InterestPoint } from './types.js';

/** Categories kept per point (the rest are summed into "other"). */
const TOP_CATEGORIES = 8;

/**
 * Interest points for a chronological event list (empty when the model has no category head).
 *
 * @example
 * const history = interestHistory(await store.events.readUser('u1'), catalog, 30);
 */
export function interestHistory(
  events: readonly LoggedEvent[],
  catalog: Catalog,
  points: number,
): InterestPoint[] {
  const model = catalog.model;
  if (!model?.categories || events.length === 0 || points <= 0) return [];
  const items: number[] = [];
  const times: number[] = [];
  const types: number[] = [];
  const ends: number[] = [];
  for (const event of events) {
    const index = catalog.indexOf(event.itemId);
    if (index === undefined || index >= catalog.warmCount) continue;
    items.push(index);
    times.push(event.timestamp);
    types.push(EVENT_TYPES.indexOf(event.type));
    ends.push(event.seq);
  }
  const step = Math.max(1, items.length / points);
  const vector = new Float32Array(model.dim);
  const distribution = new Float32Array(model.categories.length);
  const out: InterestPoint[] = [];
  for (let p = step; Math.round(p) <= items.length; p += step) {
    const end = Math.round(p);
    const start = Math.max(0, end - model.maxLength);
    const diagnostics = model.encode(
      {
        user: -1,
        history: Int32Array.from(items.slice(start, end)),
        timestamps: Float64Array.from(times.slice(start, end)),
        types: Uint8Array.from(types.slice(start, end)),
      },
      vector,
    );
    model.categoryDistribution(vector, distribution);
    const ranked = model.categories
      .map((name, c) => ({ name, probability: distribution[c] }))
      .sort((x, y) => y.probability - x.probability);
    const categories: Record<string, number> = {};
    for (const { name, probability } of ranked.slice(0, TOP_CATEGORIES)) categories[name] = probability;
    const rest = ranked.slice(TOP_CATEGORIES).reduce((sum, c) => sum + c.probability, 0);
    if (rest > 0) categories.other = rest;
    const a = diagnostics.a;
    out.push({
      at: times[end - 1],
      seq: ends[end - 1],
      ...(a !== undefined && { shortTermShare: a, a }),
      categories,
    });
  }
  return out;
}
