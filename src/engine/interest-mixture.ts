/**
 * P(category | user) as Tide serves it: the current segment of the user's interest, found by
 * change-point detection over the categories of their logged events (models/interest-shift.ts),
 * with the category mass of the model's next-item distribution as that segment's prior. Events of
 * items the model has never seen count by their catalogue categories.
 */
import { InterestShift, type InterestShiftSettings } from '../models/interest-shift.js';
import type { LoggedEvent } from '../storage/ports.js';
import type { Catalog } from './catalog.js';

/** The category indices (in `names`) of catalogue items, and the categories' shares over the model's items. */
export class CategoryLookup {
  readonly prior: Float64Array;
  private readonly index: Map<string, number>;
  private readonly cache = new Map<number, readonly number[]>();

  constructor(
    private readonly catalog: Catalog,
    names: readonly string[],
  ) {
    this.index = new Map(names.map((name, c) => [name, c]));
    this.prior = new Float64Array(names.length);
    let counted = 0;
    for (let i = 0; i < catalog.warmCount; i++) {
      const cats = this.of(i);
      for (const c of cats) this.prior[c] += 1 / cats.length;
      if (cats.length > 0) counted++;
    }
    // uniform when no model item has a listed category
    for (let c = 0; c < names.length; c++)
      this.prior[c] = counted > 0 ? this.prior[c] / counted : 1 / names.length;
  }

  /** The listed categories of catalogue item `index` (none for an unknown item). */
  of(index: number | undefined): readonly number[] {
    if (index === undefined) return [];
    let cats = this.cache.get(index);
    if (!cats) {
      cats = (this.catalog.items[index]?.categories ?? [])
        .map((name) => this.index.get(name))
        .filter((c): c is number => c !== undefined);
      this.cache.set(index, cats);
    }
    return cats;
  }
}

/**
 * Feeds a user's events, in order, to a fresh interest shift; `onEvent` runs after each, with the
 * shift as it is then.
 *
 * @example
 * const shift = followInterests(events, catalog, lookup);
 * shift.estimate(mass, out);
 */
export function followInterests(
  events: readonly LoggedEvent[],
  catalog: Catalog,
  lookup: CategoryLookup,
  onEvent?: (event: LoggedEvent, position: number, shift: InterestShift) => void,
  settings?: InterestShiftSettings,
): InterestShift {
  const shift = new InterestShift(lookup.prior, settings);
  events.forEach((event, position) => {
    shift.observe(lookup.of(catalog.indexOf(event.itemId)));
    onEvent?.(event, position, shift);
  });
  return shift;
}
