/** The user's interests now: facets with their labels and weights, and P(category | user). */
import type { InterestsResponse } from '../api.js';
import { h } from '../dom.js';
import { percent } from '../format.js';

function bar(label: string, share: number, detail?: string): HTMLElement {
  const meter = h('meter', {
    attrs: { min: 0, max: 1, value: share.toFixed(4), 'aria-label': `${label}: ${percent(share)}` },
  });
  return h(
    'li',
    { class: 'bar-row' },
    h('span', { class: 'bar-label' }, label),
    meter,
    h('span', { class: 'bar-value' }, percent(share)),
    detail && h('span', { class: 'muted small bar-detail' }, detail),
  );
}

export function interestsNow(interests: InterestsResponse): HTMLElement[] {
  const parts: HTMLElement[] = [];
  if (interests.facets.length > 0) {
    parts.push(
      h('h3', {}, 'Facets'),
      h(
        'ul',
        { class: 'bars' },
        ...interests.facets.map((f) =>
          bar(f.label, f.weight, f.categories.map((c) => `${c.name} ${percent(c.probability)}`).join(', ')),
        ),
      ),
    );
  } else {
    parts.push(h('p', { class: 'muted' }, 'This model has no interest facets.'));
  }
  if (interests.categories.length > 0) {
    parts.push(
      h('h3', {}, 'Categories'),
      h('ul', { class: 'bars' }, ...interests.categories.slice(0, 8).map((c) => bar(c.name, c.probability))),
    );
  }
  return parts;
}
