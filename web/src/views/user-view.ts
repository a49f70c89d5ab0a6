/**
 * One user: interest evolution, interests now, recommendations, timeline, text queries and new
 * items. Subscribes to the user's event stream: any client's event for the user refreshes the
 * charts, the recommendations and the timeline in place.
 */
import { api, type InterestsResponse, type UserEventsResponse } from '../api.js';
import { InterestChart } from '../charts/interest-chart.js';
import { announce, errorLine, fill, h, panel } from '../dom.js';
import { ago, decimal } from '../format.js';
import { openStream, type StreamStatus } from '../sse.js';
import { interestsNow } from './interests-now.js';
import { newItemForm } from './new-item.js';
import { RecommendationsPanel } from './recommendations.js';
import { textQueryForm } from './text-query.js';
import { timeline } from './timeline.js';

const TIMELINE_LIMIT = 30;

const STATUS_TEXT: Record<StreamStatus, string> = {
  connecting: 'Live: connecting…',
  open: 'Live: connected',
  retrying: 'Live: reconnecting…',
  closed: 'Offline',
};

export class UserView {
  readonly element: HTMLElement;
  private readonly summary = h('p', { class: 'user-summary', attrs: { 'data-testid': 'user-summary' } });
  private readonly chart = new InterestChart();
  private readonly now = h('div', {});
  private readonly events = h('div', {});
  private readonly message = h('p', { class: 'muted small', attrs: { role: 'status' } });
  private readonly recommendations: RecommendationsPanel;
  private readonly stream: { close(): void };
  private controller: AbortController | null = null;
  private timer: number | undefined;

  constructor(
    private readonly userId: string,
    onPickUser: (userId: string) => void,
  ) {
    this.recommendations = new RecommendationsPanel(userId, (itemId) => void this.click(itemId));
    const simulate = h(
      'button',
      {
        class: 'primary',
        attrs: { type: 'button', id: 'simulate-click' },
        on: { click: () => void this.simulate() },
      },
      'Simulate a click',
    );
    this.element = h(
      'div',
      { class: 'user-view' },
      h('div', { class: 'user-header' }, h('h1', {}, userId), this.summary, simulate, this.message),
      h(
        'div',
        { class: 'user-grid' },
        h(
          'div',
          { class: 'column' },
          panel('evolution', 'Interest evolution', this.chart.element),
          panel('now', 'Interests now', this.now),
          panel('events', 'Timeline', this.events),
        ),
        h(
          'div',
          { class: 'column' },
          panel('recs', 'Recommendations', this.recommendations.controls, this.recommendations.list),
          panel('ask', 'Ask in words', textQueryForm(userId)),
          panel('new-item', 'Add an item', newItemForm(userId, onPickUser)),
        ),
      ),
    );
    const status = document.getElementById('live-status');
    this.stream = openStream(api.streamUrl(userId), {
      onStatus: (s, detail) => {
        if (status) status.textContent = STATUS_TEXT[s];
        if (status && detail) status.title = detail;
      },
      onMessage: (event, data) => {
        if (event !== 'event') return;
        const message = JSON.parse(data) as { eventType: string; itemId: string };
        announce(`New ${message.eventType} by ${userId} on ${message.itemId}`);
        this.refreshSoon();
      },
    });
  }

  /** Loads every panel; resolves when all are shown. */
  async refresh(): Promise<void> {
    this.controller?.abort();
    const controller = new AbortController();
    this.controller = controller;
    const { signal } = controller;
    // recommendations first: the engine answers requests in turn, and they are the quickest
    await Promise.all([
      this.recommendations.load(),
      api.interests(this.userId, signal).then(
        (interests) => this.showInterests(interests),
        (error) => signal.aborted || fill(this.chart.element, errorLine(error)),
      ),
      api.events(this.userId, TIMELINE_LIMIT, signal).then(
        (answer) => this.showEvents(answer),
        (error) => signal.aborted || fill(this.events, errorLine(error)),
      ),
    ]);
  }

  dispose(): void {
    window.clearTimeout(this.timer);
    this.controller?.abort();
    this.stream.close();
    this.chart.dispose();
    this.recommendations.dispose();
  }

  /** Coalesces bursts of live events into one refresh. */
  private refreshSoon(): void {
    window.clearTimeout(this.timer);
    this.timer = window.setTimeout(() => void this.refresh(), 100);
  }

  private async simulate(): Promise<void> {
    const top = this.recommendations.items[0];
    if (!top) {
      this.message.textContent = 'No recommendation to click.';
      return;
    }
    await this.click(top.itemId);
  }

  private async click(itemId: string): Promise<void> {
    this.message.textContent = `Clicking ${itemId}…`;
    try {
      const result = await api.postEvent({ userId: this.userId, itemId, type: 'click' });
      this.message.textContent = `Clicked ${itemId} (event #${result.lastSeq}).`;
      // the stream refreshes too; this covers a server without it
      this.refreshSoon();
    } catch (error) {
      this.message.textContent = `Click failed: ${error instanceof Error ? error.message : String(error)}`;
    }
  }

  private showInterests(interests: InterestsResponse): void {
    fill(
      this.summary,
      h('span', { attrs: { 'data-testid': 'event-count' } }, `${interests.events} events`),
      interests.lastEventAt !== null && ` · last ${ago(interests.lastEventAt)}`,
      interests.shortTermShare !== undefined &&
        ` · short-term share a = ${decimal(interests.shortTermShare, 2)}`,
    );
    this.chart.render(interests.history);
    fill(this.now, ...interestsNow(interests));
  }

  private showEvents(answer: UserEventsResponse): void {
    fill(this.events, timeline(answer.events));
  }
}
