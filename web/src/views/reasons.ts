/** A recommendation's reasons, as the engine gave them, in words. */
import type { RecommendResponse } from '../api.js';
import { h } from '../dom.js';
import { decimal, percent } from '../format.js';

type Reason = RecommendResponse['items'][number]['reasons'][number];

function words(reason: Reason): { kind: string; text: string } {
  switch (reason.kind) {
    case 'recent-item':
      return {
        kind: 'Recent item',
        text: `close to ${reason.title ?? reason.itemId} (similarity ${decimal(reason.similarity, 2)})`,
      };
    case 'facet':
      return { kind: 'Facet', text: `${reason.label} (weight ${percent(reason.weight)})` };
    case 'short-long':
      return { kind: 'Short/long', text: `recent session share a = ${decimal(reason.shortTermShare, 2)}` };
    case 'text':
      return {
        kind: 'Text',
        text: `similarity ${decimal(reason.similarity, 2)}, ${percent(reason.share)} of the score`,
      };
    case 'popular':
      return { kind: 'Popular', text: `${reason.events} events` };
    case 'cold-item':
      return {
        kind: 'New item',
        text: `placed by its text near ${reason.neighbours.join(', ') || 'no item'}`,
      };
  }
}

/**
 * @example
 * container.append(reasonList(item.reasons));
 */
export function reasonList(reasons: readonly Reason[]): HTMLElement {
  if (reasons.length === 0) return h('p', { class: 'muted small' }, 'No reasons given.');
  return h(
    'ul',
    { class: 'reasons', attrs: { 'aria-label': 'Reasons' } },
    ...reasons.map((reason) => {
      const { kind, text } = words(reason);
      return h(
        'li',
        { class: `reason reason-${reason.kind}` },
        h('span', { class: 'reason-kind' }, kind),
        ' ',
        text,
      );
    }),
  );
}
