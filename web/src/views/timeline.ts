/** The user's latest events, newest first. */
import type { UserEventsResponse } from '../api.js';
import { h } from '../dom.js';
import { ago, when } from '../format.js';

export function timeline(events: UserEventsResponse['events']): HTMLElement {
  if (events.length === 0) return h('p', { class: 'muted' }, 'No events yet.');
  return h(
    'ol',
    { class: 'timeline', attrs: { 'aria-label': 'Latest events, newest first' } },
    ...events.map((e) => {
      const item = h(
        'li',
        {},
        h(
          'time',
          { attrs: { datetime: new Date(e.timestamp).toISOString(), title: when(e.timestamp) } },
          ago(e.timestamp),
        ),
        h('span', { class: `badge badge-${e.type}` }, e.type),
        h('span', { class: 'timeline-item' }, e.title ?? e.itemId),
        e.title !== undefined && h('span', { class: 'muted small' }, ` #${e.itemId}`),
      );
      item.dataset.item = e.itemId;
      return item;
    }),
  );
}
