/**
 * A user's interest over time: category shares as a stacked area, the short/long balance a as a
 * line (when the model has a fused gate), and dashed markers where the interest shifted (see
 * shifts.ts for the rule). A legend and a list of the shifts carry the same facts as text.
 */
import type uPlot from 'uplot';
import type { InterestsResponse } from '../api.js';
import { fill, h } from '../dom.js';
import { percent, when } from '../format.js';
import { type Shift, shifts } from '../shifts.js';
import { axis, colourOf, markers, mountPlot } from './plot.js';

type Point = InterestsResponse['history'][number];

/** Named categories drawn at most; the rest are added to "other" (one colour each stays distinct). */
const MAX_NAMED = 9;

/**
 * The points' shares with all but the MAX_NAMED categories of highest mean share folded into
 * "other", and the categories in stacking order: strongest in the last point first, "other" last.
 */
function folded(history: readonly Point[]): { shares: Record<string, number>[]; categories: string[] } {
  const sums = new Map<string, number>();
  for (const point of history) {
    for (const [name, share] of Object.entries(point.categories)) {
      if (name !== 'other') sums.set(name, (sums.get(name) ?? 0) + share);
    }
  }
  const named = [...sums].sort((x, y) => y[1] - x[1]).slice(0, MAX_NAMED);
  const kept = new Set(named.map(([name]) => name));
  const shares = history.map((point) => {
    const out: Record<string, number> = {};
    for (const [name, share] of Object.entries(point.categories)) {
      const key = kept.has(name) ? name : 'other';
      out[key] = (out[key] ?? 0) + share;
    }
    return out;
  });
  const last = shares[shares.length - 1];
  const categories = [...kept].sort((x, y) => (last[y] ?? 0) - (last[x] ?? 0) || x.localeCompare(y));
  if (shares.some((s) => (s.other ?? 0) > 0)) categories.push('other');
  return { shares, categories };
}

const shortDate = new Intl.DateTimeFormat(undefined, { month: 'short', day: 'numeric' });

/**
 * The x axis: point numbers (each point covers the same number of events, so a burst of events is
 * not squeezed into one spot), labelled with the points' dates when the events carry real times.
 */
function xAxisOf(history: readonly Point[]): { xs: number[]; axis: uPlot.Axis } {
  const xs = history.map((_, i) => i + 1);
  const dated = history[history.length - 1].at - history[0].at > 60_000;
  const values = (_u: uPlot, ticks: number[]) =>
    ticks.map((t) => {
      const point = history[Math.round(t) - 1];
      return !point || !Number.isInteger(t) ? '' : dated ? shortDate.format(point.at) : String(t);
    });
  const incrs = [1, 2, 5, 10, 20, 50, 100];
  return {
    xs,
    axis: axis(dated ? 'history point (its date)' : 'history point', { values, incrs, space: 70 }),
  };
}

export class InterestChart {
  readonly element = h('div', { class: 'interest-chart' });
  private disposers: (() => void)[] = [];

  render(history: readonly Point[]): void {
    const shiftsOpen = this.element.querySelector('details')?.open ?? false;
    this.dispose();
    if (history.length === 0) {
      fill(
        this.element,
        h(
          'p',
          { class: 'muted' },
          'No interest history yet: the model lists no categories, or the user has no events it knows.',
        ),
      );
      return;
    }
    const { shares, categories } = folded(history);
    const { xs, axis: x } = xAxisOf(history);
    const found = shifts(history);
    const shiftXs = () => found.map((s) => xs[s.index]);
    const sharesHost = h('div', {
      class: 'plot',
      attrs: { role: 'img', 'aria-label': describe(shares, categories, found) },
    });
    const hasA = history.some((p) => p.shortTermShare !== undefined);
    const lastA = history[history.length - 1].shortTermShare;
    const balanceHost = h('div', {
      class: 'plot',
      attrs: {
        role: 'img',
        'aria-label': `Short-term share a over ${history.length} points; now ${lastA?.toFixed(2) ?? 'unknown'}`,
      },
    });
    fill(
      this.element,
      sharesHost,
      legend(shares, categories),
      hasA
        ? h('h3', {}, 'Short/long balance a (share of the recent session)')
        : h('p', { class: 'muted' }, 'This model has no short/long gate (a).'),
      hasA && balanceHost,
      shiftList(history, found, shiftsOpen),
    );
    this.disposers.push(
      mountPlot(
        sharesHost,
        {
          height: 220,
          padding: [12, 24, 0, 0],
          legend: { show: false },
          scales: { x: { time: false }, y: { range: [0, 1] } },
          axes: [
            x,
            axis('share', {
              splits: () => [0, 0.25, 0.5, 0.75, 1],
              values: (_u, ticks) => ticks.map((t) => percent(t)),
            }),
          ],
          series: [{}, ...stackedSeries(categories)],
          plugins: [markers(shiftXs)],
        },
        [xs, ...stacked(shares, categories)],
      ),
    );
    if (hasA) {
      this.disposers.push(
        mountPlot(
          balanceHost,
          {
            height: 140,
            padding: [12, 24, 0, 0],
            legend: { show: false },
            scales: { x: { time: false }, y: { range: [0, 1] } },
            axes: [x, axis('a', { splits: () => [0, 0.5, 1] })],
            series: [
              {},
              { label: 'a', stroke: '#5e3c99', width: 2, spanGaps: true, points: { show: false } },
            ],
            plugins: [markers(shiftXs)],
          },
          [xs, history.map((p) => p.shortTermShare ?? null)],
        ),
      );
    }
  }

  dispose(): void {
    for (const dispose of this.disposers) dispose();
    this.disposers = [];
  }
}

/** Cumulative shares, top of the stack first: each area is drawn over the ones above it. */
function stacked(shares: readonly Record<string, number>[], categories: readonly string[]): number[][] {
  const sums = new Array<number>(shares.length).fill(0);
  const layers = categories.map((name) => shares.map((p, i) => (sums[i] += p[name] ?? 0)));
  return layers.reverse();
}

function stackedSeries(categories: readonly string[]): uPlot.Series[] {
  return [...categories].reverse().map((name) => ({
    label: name,
    stroke: colourOf(name),
    fill: colourOf(name),
    width: 1,
    points: { show: false },
  }));
}

function legend(shares: readonly Record<string, number>[], categories: readonly string[]): HTMLElement {
  const last = shares[shares.length - 1];
  return h(
    'ul',
    { class: 'legend', attrs: { 'aria-label': 'Categories, with their share now' } },
    ...categories.map((name) =>
      h(
        'li',
        {},
        swatch(colourOf(name)),
        h('span', { class: 'legend-name' }, name),
        h('span', { class: 'legend-value' }, percent(last[name] ?? 0)),
      ),
    ),
  );
}

function swatch(colour: string): HTMLElement {
  const element = h('span', { class: 'swatch', attrs: { 'aria-hidden': 'true' } });
  element.style.backgroundColor = colour; // CSSOM, which the page's CSP allows (style attributes it does not)
  return element;
}

function shiftList(history: readonly Point[], found: readonly Shift[], open: boolean): HTMLElement {
  if (found.length === 0) return h('p', { class: 'muted' }, 'No interest shift marked.');
  return h(
    'details',
    { class: 'shifts', attrs: { open } },
    h('summary', {}, `${found.length} interest shift${found.length === 1 ? '' : 's'} marked`),
    h(
      'ol',
      {},
      ...found.map((s) =>
        h(
          'li',
          {},
          `${when(history[s.index].at)}: `,
          s.reason === 'top'
            ? `${s.from} → ${s.to}`
            : `mix moved by ${percent(s.distance)} (${s.to} still first)`,
        ),
      ),
    ),
  );
}

function describe(
  shares: readonly Record<string, number>[],
  categories: readonly string[],
  found: readonly Shift[],
): string {
  const last = shares[shares.length - 1];
  const top = categories.filter((c) => c !== 'other').slice(0, 3);
  return `Category shares over ${shares.length} points; now ${top.map((c) => `${c} ${percent(last[c] ?? 0)}`).join(', ')}; ${found.length} shifts marked.`;
}
