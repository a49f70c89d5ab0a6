/**
 * Adds a cold item (PUT /items/:id) and shows where it lands: its rank in the selected user's list
 * (among the top RANK_DEPTH), its score and reasons (the text neighbours that placed it), and the
 * recently active users who would get it in their top AUDIENCE_K.
 */
import { type AudienceResponse, api, type RecommendResponse } from '../api.js';
import { h, submitWith } from '../dom.js';
import { decimal } from '../format.js';
import { reasonList } from './reasons.js';

const RANK_DEPTH = 500;
const AUDIENCE_K = 10;

function field(id: string, label: string, input: HTMLInputElement | HTMLTextAreaElement): HTMLElement {
  input.id = id;
  return h('div', { class: 'control' }, h('label', { attrs: { for: id } }, label), input);
}

export function newItemForm(userId: string, onPickUser: (userId: string) => void): HTMLElement {
  const results = h('div', { attrs: { 'aria-live': 'polite' } });
  const id = h('input', { attrs: { type: 'text', required: true, maxlength: 256, autocomplete: 'off' } });
  const title = h('input', { attrs: { type: 'text', maxlength: 1000 } });
  const categories = h('input', { attrs: { type: 'text', placeholder: 'comma-separated' } });
  const text = h('textarea', { attrs: { rows: 3, maxlength: 100000 } });
  const button = h('button', { attrs: { type: 'submit' } }, 'Add item');
  const form = h(
    'form',
    {
      class: 'stack',
      on: {
        submit: submitWith(button, results, 'Adding…', async () => {
          const itemId = id.value.trim();
          await api.putItem(itemId, {
            ...(title.value.trim() && { title: title.value.trim() }),
            ...(text.value.trim() && { text: text.value.trim() }),
            categories: categories.value
              .split(',')
              .map((c) => c.trim())
              .filter(Boolean),
          });
          const [placed, ranked, audience] = await Promise.all([
            api.recommend(userId, { k: 1, include: [itemId] }),
            api.recommend(userId, { k: RANK_DEPTH, explain: false }),
            api.audience(itemId, AUDIENCE_K),
          ]);
          return landing(itemId, userId, placed, ranked, audience, onPickUser);
        }),
      },
    },
    field('item-id', 'Item id', id),
    field('item-title', 'Title', title),
    field('item-categories', 'Categories', categories),
    field('item-text', 'Text', text),
    h('div', {}, button),
  );
  return h('div', {}, form, results);
}

function landing(
  itemId: string,
  userId: string,
  placed: RecommendResponse,
  ranked: RecommendResponse,
  audience: AudienceResponse,
  onPickUser: (userId: string) => void,
): HTMLElement[] {
  const rank = ranked.items.findIndex((r) => r.itemId === itemId);
  const own = placed.items[0];
  return [
    h('h3', {}, `Where ${itemId} lands`),
    h(
      'p',
      { attrs: { 'data-testid': 'cold-rank' } },
      rank >= 0 ? `Rank ${rank + 1} for ${userId}` : `Not in ${userId}'s top ${RANK_DEPTH}`,
      own && ` · score ${decimal(own.score)}`,
    ),
    own
      ? reasonList(own.reasons)
      : h(
          'p',
          { class: 'muted' },
          `The server gave it no score for ${userId}: they already had it, or it has no embedding yet ` +
            '(an item without events is placed by its text, which needs the server’s text encoder).',
        ),
    h('h3', {}, `Users with it in their top ${audience.k}`),
    audience.users.length === 0
      ? h('p', { class: 'muted' }, `None of the ${audience.checked} most recently active users.`)
      : h(
          'ul',
          { class: 'audience' },
          ...audience.users.map((u) =>
            h(
              'li',
              {},
              h(
                'button',
                {
                  class: 'link-button',
                  attrs: { type: 'button' },
                  on: { click: () => onPickUser(u.userId) },
                },
                u.userId,
              ),
              ` rank ${u.rank}`,
            ),
          ),
        ),
    h('p', { class: 'muted small' }, `Checked the ${audience.checked} most recently active users.`),
  ];
}
