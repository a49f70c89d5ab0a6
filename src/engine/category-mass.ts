/**
 * P(category | user) as the model's own next-item distribution sees it: the softmax of the scores of
 * the model's items, each item's probability shared equally among its categories. On the drift world
 * it follows a switch faster than the category head fitted on frozen user vectors (BENCHMARKS.md).
 */
import type { Item } from '../core/types.js';

/**
 * Writes P(c | u) for the category `names` into `out` from the scores of the model's items
 * (`scoresByItem[i]` for `items[i]`: the catalogue's warm items); items without a listed category
 * count for none, and the result is normalised over the categories.
 *
 * @example
 * categoryMass(scores, catalog.items, model.categories, distribution);
 */
export function categoryMass(
  scoresByItem: Float32Array,
  items: readonly (Pick<Item, 'categories'> | undefined)[],
  names: readonly string[],
  out: Float32Array,
): void {
  const index = new Map(names.map((name, c) => [name, c]));
  let max = Number.NEGATIVE_INFINITY;
  for (const s of scoresByItem) if (s > max) max = s;
  out.fill(0);
  let total = 0;
  for (let i = 0; i < scoresByItem.length; i++) {
    if (!Number.isFinite(scoresByItem[i])) continue;
    const listed = (items[i]?.categories ?? []).filter((name) => index.has(name));
    if (listed.length === 0) continue;
    const p = Math.exp(scoresByItem[i] - max);
    for (const name of listed) out[index.get(name)!] += p / listed.length;
    total += p;
  }
  if (total > 0) for (let c = 0; c < out.length; c++) out[c] /= total;
}
