/**
 * The user's recommendations with their reasons, and the request controls (context: time of day and
 * device; diversity λ) that re-query as they change. Each item has a button that clicks it.
 */
import { api, type RecommendResponse } from '../api.js';
import { errorLine, fill, h } from '../dom.js';
import { decimal } from '../format.js';
import { reasonList } from './reasons.js';

const HOURS: [string, string][] = [
  ['', 'Any time'],
  ['8', 'Morning (8:00)'],
  ['13', 'Afternoon (13:00)'],
  ['20', 'Evening (20:00)'],
  ['23', 'Night (23:00)'],
];
const DEVICES: [string, string][] = [
  ['', 'Any device'],
  ['mobile', 'Mobile'],
  ['desktop', 'Desktop'],
  ['tv', 'TV'],
];

/** Request settings, kept while the user changes. */
const settings = { hour: '', device: '', diversity: 1 };

function select(
  id: string,
  label: string,
  options: [string, string][],
  value: string,
  change: (v: string) => void,
) {
  const element = h(
    'select',
    { attrs: { id }, on: { change: () => change(element.value) } },
    ...options.map(([v, text]) => h('option', { attrs: { value: v, selected: v === value } }, text)),
  );
  return h('div', { class: 'control' }, h('label', { attrs: { for: id } }, label), element);
}

export class RecommendationsPanel {
  readonly controls: HTMLElement;
  readonly list = h('div', {
    class: 'recommendations',
    attrs: { 'aria-live': 'polite', 'aria-busy': 'false' },
  });
  items: RecommendResponse['items'] = [];
  private controller: AbortController | null = null;
  private timer: number | undefined;

  constructor(
    private readonly userId: string,
    private readonly onClickItem: (itemId: string) => void,
  ) {
    const output = h(
      'output',
      { attrs: { for: 'diversity', id: 'diversity-value' } },
      decimal(settings.diversity, 2),
    );
    const slider = h('input', {
      attrs: { id: 'diversity', type: 'range', min: 0, max: 1, step: 0.05, value: settings.diversity },
      on: {
        input: () => {
          settings.diversity = Number(slider.value);
          output.textContent = decimal(settings.diversity, 2);
          this.soon();
        },
      },
    });
    this.controls = h(
      'div',
      { class: 'controls' },
      select('context-hour', 'Time of day', HOURS, settings.hour, (v) => {
        settings.hour = v;
        this.soon();
      }),
      select('context-device', 'Device', DEVICES, settings.device, (v) => {
        settings.device = v;
        this.soon();
      }),
      h(
        'div',
        { class: 'control control-wide' },
        h('label', { attrs: { for: 'diversity' } }, 'Diversity λ (1 = pure relevance, lower = more diverse)'),
        h('div', { class: 'slider' }, slider, output),
      ),
    );
  }

  /** Fetches and shows the recommendations; resolves once they are shown (or failed). */
  async load(): Promise<void> {
    this.controller?.abort();
    const controller = new AbortController();
    this.controller = controller;
    this.list.setAttribute('aria-busy', 'true');
    const context: Record<string, string | number> = {};
    if (settings.hour) context.hour = Number(settings.hour);
    if (settings.device) context.device = settings.device;
    try {
      const answer = await api.recommend(
        this.userId,
        { k: 10, context, diversity: settings.diversity },
        controller.signal,
      );
      this.items = answer.items;
      this.render(answer);
    } catch (error) {
      if (!controller.signal.aborted) fill(this.list, errorLine(error));
    } finally {
      if (this.controller === controller) this.list.setAttribute('aria-busy', 'false');
    }
  }

  dispose(): void {
    window.clearTimeout(this.timer);
    this.controller?.abort();
  }

  private soon(): void {
    window.clearTimeout(this.timer);
    this.timer = window.setTimeout(() => void this.load(), 150);
  }

  private render(answer: RecommendResponse): void {
    // a live refresh replaces the list: keep keyboard focus on the same item, or the first one
    const focused = document.activeElement;
    const hadFocus = focused instanceof HTMLElement && this.list.contains(focused);
    const focusedItem = hadFocus ? focused.closest<HTMLElement>('li[data-item]')?.dataset.item : undefined;
    this.show(answer);
    if (!hadFocus) return;
    const rows = [...this.list.querySelectorAll<HTMLElement>('li[data-item]')];
    const row = rows.find((r) => r.dataset.item === focusedItem) ?? rows[0];
    row?.querySelector('button')?.focus();
  }

  private show(answer: RecommendResponse): void {
    const source = answer.modelId ? `model ${answer.modelId}` : 'popularity (no model or no events)';
    fill(
      this.list,
      h(
        'p',
        { class: 'muted small' },
        `From ${source}`,
        answer.shortTermShare !== undefined && ` · short-term share a = ${decimal(answer.shortTermShare, 2)}`,
        answer.trendShare !== undefined &&
          ` · popular now: ${decimal(100 * answer.trendShare, 0)}% of the scores`,
        answer.textWeight > 0 && ` · text weight ${decimal(answer.textWeight, 2)}`,
      ),
      answer.items.length === 0
        ? h('p', { class: 'muted' }, 'Nothing to recommend.')
        : h(
            'ol',
            { class: 'rec-list' },
            ...answer.items.map((item, n) => {
              const row = h(
                'li',
                { class: 'rec' },
                h(
                  'div',
                  { class: 'rec-head' },
                  h('span', { class: 'rec-rank', attrs: { 'aria-hidden': 'true' } }, String(n + 1)),
                  h(
                    'div',
                    {},
                    h('span', { class: 'rec-title' }, item.title ?? item.itemId),
                    h(
                      'p',
                      { class: 'muted small' },
                      `#${item.itemId} · score ${decimal(item.score)}`,
                      item.categories && ` · ${item.categories.join(', ')}`,
                    ),
                  ),
                  h(
                    'button',
                    {
                      class: 'small-button',
                      attrs: { type: 'button', 'aria-label': `Click ${item.title ?? item.itemId}` },
                      on: { click: () => this.onClickItem(item.itemId) },
                    },
                    'Click',
                  ),
                ),
                reasonList(item.reasons),
              );
              row.dataset.item = item.itemId;
              return row;
            }),
          ),
    );
  }
}
