/** Interest as text: POST /recommendations/query, optionally blended with the selected user's behaviour. */
import { api } from '../api.js';
import { h, submitWith } from '../dom.js';
import { decimal } from '../format.js';
import { reasonList } from './reasons.js';

export function textQueryForm(userId: string): HTMLElement {
  const results = h('div', { attrs: { 'aria-live': 'polite' } });
  const text = h('input', {
    attrs: {
      id: 'text-query',
      type: 'text',
      required: true,
      maxlength: 2000,
      placeholder: 'space operas, but lighter',
    },
  });
  const blend = h('input', { attrs: { id: 'text-blend', type: 'checkbox', checked: true } });
  const button = h('button', { attrs: { type: 'submit' } }, 'Ask');
  const form = h(
    'form',
    {
      class: 'stack',
      on: {
        submit: submitWith(button, results, 'Asking…', async () => {
          const answer = await api.textQuery(text.value, 5, blend.checked ? userId : undefined);
          return [
            answer.items.length === 0
              ? h('p', { class: 'muted' }, 'No item matches.')
              : h(
                  'ol',
                  { class: 'rec-list compact' },
                  ...answer.items.map((item) =>
                    h(
                      'li',
                      { class: 'rec' },
                      h('span', { class: 'rec-title' }, item.title ?? item.itemId),
                      h('span', { class: 'muted small' }, ` score ${decimal(item.score)}`),
                      reasonList(item.reasons),
                    ),
                  ),
                ),
          ];
        }),
      },
    },
    h('label', { attrs: { for: 'text-query' } }, 'Describe an interest in words'),
    h('div', { class: 'inline' }, text, button),
    h(
      'div',
      { class: 'check' },
      blend,
      h('label', { attrs: { for: 'text-blend' } }, `Blend with ${userId}'s behaviour`),
    ),
  );
  return h('div', {}, form, results);
}
