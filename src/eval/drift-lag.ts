/**
 * How fast a model follows a planted interest switch, and how well it ignores noise: for each user's
 * first recorded drift, the share of the new topic in what the model says after each further event,
 * and the number of events until that share passes 1/2 (and until it stays above).
 */
import { TideError } from '../core/errors.js';
import type { Dataset } from '../data/dataset.js';
import type { UserTruth } from '../data/synthetic/world.js';
import {
  DEFAULT_INTEREST_SHIFT,
  InterestShift,
  type InterestShiftSettings,
} from '../models/interest-shift.js';
import type { CategoryPredictor, Scorer } from '../models/model.js';
import { topK } from './ranking.js';

/** One user's first switch: positions are counts of the user's events. */
export interface SwitchCase {
  readonly user: number;
  /** Events before the switch (the first event drawn from the new interest is event `at`). */
  readonly at: number;
  /** Events up to the next switch or the end of the history. */
  readonly end: number;
  readonly to: string;
}

/** Median and 90th percentile of the lags (events after the switch); Infinity where more than that share never got there. */
export interface LagSummary {
  users: number;
  /** Events until the new topic first holds > 1/2. */
  median: number;
  p90: number;
  /** Events until it holds > 1/2 for good (to the next switch or the end). */
  stayMedian: number;
  stayP90: number;
  /** Share of users for whom it never held > 1/2 within the horizon. */
  never: number;
}

/** The share of the new topic after the first `seen` events of a case's user. */
export type TopicShare = (kase: SwitchCase, seen: number) => number;

/** Users need at least this many events before their switch to be measured. */
const MIN_BEFORE = 5;

/**
 * Each user's first drift from the ground truth, for a data set that kept every event (so that its
 * per-user positions are the truth's event indices).
 */
export function switchCases(dataset: Dataset, truth: Readonly<Record<string, UserTruth>>): SwitchCase[] {
  const cases: SwitchCase[] = [];
  for (const [userId, user] of Object.entries(truth)) {
    const u = dataset.userIds.indexOf(userId);
    const drift = user.drifts[0];
    if (u < 0 || !drift || drift.atEventIndex < MIN_BEFORE) continue;
    const length = dataset.offsets[u + 1] - dataset.offsets[u];
    if (length !== user.eventCount)
      throw new TideError(
        'INVALID_INPUT',
        `user ${userId} has ${length} events here and ${user.eventCount} in the ground truth: the data set must keep every event (--min-item 1 --min-user 1)`,
      );
    cases.push({
      user: u,
      at: drift.atEventIndex,
      end: user.drifts[1]?.atEventIndex ?? length,
      to: drift.to,
    });
  }
  return cases;
}

/** The lags of `share` over the cases, looking at most `horizon` events past each switch. */
export function lagSummary(cases: readonly SwitchCase[], share: TopicShare, horizon = 40): LagSummary {
  const lags: number[] = [];
  const stays: number[] = [];
  for (const kase of cases) {
    const last = Math.min(kase.end, kase.at + horizon) - kase.at;
    let first = Number.POSITIVE_INFINITY;
    let stay = Number.POSITIVE_INFINITY;
    for (let k = 0; k <= last; k++) {
      const above = share(kase, kase.at + k) > 0.5;
      if (above && first === Number.POSITIVE_INFINITY) first = k;
      if (above && stay === Number.POSITIVE_INFINITY) stay = k;
      if (!above) stay = Number.POSITIVE_INFINITY;
    }
    lags.push(first);
    stays.push(stay);
  }
  return {
    users: cases.length,
    median: quantile(lags, 0.5),
    p90: quantile(lags, 0.9),
    stayMedian: quantile(stays, 0.5),
    stayP90: quantile(stays, 0.9),
    never: lags.filter((lag) => lag === Number.POSITIVE_INFINITY).length / Math.max(lags.length, 1),
  };
}

/** Topic (first category) of each dense item. */
export function itemTopics(dataset: Dataset): string[] {
  return dataset.itemIds.ids().map((id) => dataset.catalog.get(id)?.categories?.[0] ?? '');
}

/** Share of the new topic among the last `window` events seen (the whole history when Infinity). */
export function recentEventsShare(dataset: Dataset, topics: readonly string[], window: number): TopicShare {
  return (kase, seen) => {
    const start = dataset.offsets[kase.user];
    const from = Math.max(0, seen - window);
    let hits = 0;
    for (let k = from; k < seen; k++) if (topics[dataset.items[start + k]] === kase.to) hits++;
    return seen > from ? hits / (seen - from) : 0;
  };
}

/** P(new topic | u) from a model's category head. */
export function categoryHeadShare(model: CategoryPredictor, dataset: Dataset): TopicShare {
  const names = model.categoryNames() ?? [];
  const out = new Float32Array(names.length);
  return (kase, seen) => {
    model.categoryDistribution(query(dataset, kase, seen), out);
    return out[names.indexOf(kase.to)] ?? 0;
  };
}

/**
 * The new topic's mass in the model's own next-item distribution: the softmax of its scores over
 * every item, summed over the items of the topic.
 */
export function nextItemMassShare(model: Scorer, dataset: Dataset, topics: readonly string[]): TopicShare {
  const mass = topicMass(model, dataset, topics);
  return (kase, seen) => mass(kase, seen).get(kase.to) ?? 0;
}

/** The model's next-item distribution summed per topic, after the first `seen` events of a case's user. */
function topicMass(
  model: Scorer,
  dataset: Dataset,
  topics: readonly string[],
): (kase: SwitchCase, seen: number) => Map<string, number> {
  const scores = new Float32Array(dataset.nItems);
  return (kase, seen) => {
    model.scoreAll(query(dataset, kase, seen), scores);
    let max = Number.NEGATIVE_INFINITY;
    for (const s of scores) if (s > max) max = s;
    let total = 0;
    const mass = new Map<string, number>();
    for (let i = 0; i < scores.length; i++) {
      const p = Number.isFinite(scores[i]) ? Math.exp(scores[i] - max) : 0;
      total += p;
      if (p > 0) mass.set(topics[i], (mass.get(topics[i]) ?? 0) + p);
    }
    for (const [topic, p] of mass) mass.set(topic, total > 0 ? p / total : 0);
    return mass;
  };
}

/**
 * The new topic's share in the user's current interest mixture as `GET /users/:id/interests` gives
 * it: change-point detection over the topics of the events seen (models/interest-shift.ts), with
 * the model's next-item topic mass as the prior of the current segment (the items' topic shares
 * when no model is given). Cases are expected in order, each from 0 events upwards, as lagSummary
 * asks; the filter then takes one event per call.
 */
export function interestShiftShare(
  dataset: Dataset,
  topics: readonly string[],
  model?: Scorer,
  settings: InterestShiftSettings = DEFAULT_INTEREST_SHIFT,
): TopicShare {
  const names = [...new Set(topics)].filter((t) => t !== '');
  const index = new Map(names.map((t, c) => [t, c]));
  const prior = new Float64Array(names.length);
  for (const t of topics) if (index.has(t)) prior[index.get(t)!] += 1;
  const known = prior.reduce((a, b) => a + b, 0);
  for (let c = 0; c < prior.length; c++) prior[c] /= Math.max(known, 1);
  const mass = model && topicMass(model, dataset, topics);
  const base = new Float64Array(names.length);
  const out = new Float32Array(names.length);
  let following: { kase: SwitchCase; seen: number; shift: InterestShift } | null = null;
  return (kase, seen) => {
    if (following?.kase !== kase || following.seen > seen)
      following = { kase, seen: 0, shift: new InterestShift(prior, settings) };
    const start = dataset.offsets[kase.user];
    for (; following.seen < seen; following.seen++) {
      const c = index.get(topics[dataset.items[start + following.seen]]);
      following.shift.observe(c === undefined ? [] : [c]);
    }
    if (mass) {
      const now = mass(kase, seen);
      names.forEach((t, c) => {
        base[c] = now.get(t) ?? 0;
      });
    } else base.set(prior);
    following.shift.estimate(base, out);
    return out[index.get(kase.to) ?? -1] ?? 0;
  };
}

/** Share of the new topic among the model's top-10 items (items already seen left out, as served). */
export function topTenShare(model: Scorer, dataset: Dataset, topics: readonly string[]): TopicShare {
  const scores = new Float32Array(dataset.nItems);
  const excluded = new Int32Array(dataset.nItems);
  let stamp = 0;
  return (kase, seen) => {
    const q = query(dataset, kase, seen);
    model.scoreAll(q, scores);
    stamp++;
    for (const item of q.history) excluded[item] = stamp;
    const top = topK(scores, 10, excluded, stamp);
    let hits = 0;
    for (const item of top) if (topics[item] === kase.to) hits++;
    return top.length ? hits / top.length : 0;
  };
}

/** The request after the first `seen` events, made at the time of the next one (when there is one). */
function query(dataset: Dataset, kase: SwitchCase, seen: number) {
  const start = dataset.offsets[kase.user];
  const end = start + seen;
  const next = end < dataset.offsets[kase.user + 1] ? dataset.timestamps?.[end] : undefined;
  return {
    user: kase.user,
    history: dataset.items.subarray(start, end),
    timestamps: dataset.timestamps?.subarray(start, end),
    types: dataset.types.subarray(start, end),
    now: next,
  };
}

function quantile(values: readonly number[], q: number): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))];
}

/** One line of the drift report: where the topic share comes from, and its lags. */
export interface DriftRow {
  model: string;
  /** `events` (baselines), `category head`, `next-item mass`. */
  source: string;
  lags: LagSummary;
  /** The lags of the top-10 recommendations' share (models only). */
  topTen?: LagSummary;
}

/**
 * The baselines: the new topic's share among the last 10 events, in the whole history, and in the
 * current interest mixture that change-point detection finds in the events alone.
 */
export function baselineDriftRows(dataset: Dataset, cases: readonly SwitchCase[]): DriftRow[] {
  const topics = itemTopics(dataset);
  return [
    {
      model: 'last 10 events',
      source: 'events',
      lags: lagSummary(cases, recentEventsShare(dataset, topics, 10)),
    },
    {
      model: 'whole history',
      source: 'events',
      lags: lagSummary(cases, recentEventsShare(dataset, topics, Number.POSITIVE_INFINITY)),
    },
    {
      model: 'change points in the events',
      source: 'events',
      lags: lagSummary(cases, interestShiftShare(dataset, topics)),
    },
  ];
}

/**
 * A model's rows: P(topic | u) from its category head (when it has one), from its next-item mass, and
 * as served: the change-point mixture over the events with the next-item mass as its prior.
 */
export function modelDriftRows(
  name: string,
  model: Scorer & Partial<CategoryPredictor>,
  dataset: Dataset,
  cases: readonly SwitchCase[],
  settings: InterestShiftSettings = DEFAULT_INTEREST_SHIFT,
): DriftRow[] {
  const topics = itemTopics(dataset);
  const topTen = lagSummary(cases, topTenShare(model, dataset, topics));
  const rows: DriftRow[] = [];
  if (model.categoryNames?.() && model.categoryDistribution)
    rows.push({
      model: name,
      source: 'category head',
      lags: lagSummary(cases, categoryHeadShare(model as CategoryPredictor, dataset)),
      topTen,
    });
  rows.push({
    model: name,
    source: 'next-item mass',
    lags: lagSummary(cases, nextItemMassShare(model, dataset, topics)),
    topTen,
  });
  rows.push({
    model: name,
    source: 'interest shift',
    lags: lagSummary(cases, interestShiftShare(dataset, topics, model, settings)),
    topTen,
  });
  return rows;
}

/** The rows as a text table (lags in events after the switch; "never" past the horizon). */
export function formatDriftTable(rows: readonly DriftRow[]): string {
  const n = (x: number) => (Number.isFinite(x) ? String(x) : 'never');
  const pct = (x: number) => `${(100 * x).toFixed(0)}%`;
  const header = [
    'model',
    'P(topic) from',
    'median',
    'p90',
    'stays median',
    'stays p90',
    'never',
    'top-10 median',
    'top-10 p90',
    'top-10 never',
  ];
  const lines = rows.map((r) => [
    r.model,
    r.source,
    n(r.lags.median),
    n(r.lags.p90),
    n(r.lags.stayMedian),
    n(r.lags.stayP90),
    pct(r.lags.never),
    r.topTen ? n(r.topTen.median) : '-',
    r.topTen ? n(r.topTen.p90) : '-',
    r.topTen ? pct(r.topTen.never) : '-',
  ]);
  const widths = header.map((h, c) => Math.max(h.length, ...lines.map((l) => l[c].length)));
  const row = (cells: string[]) =>
    cells
      .map((cell, c) => cell.padEnd(widths[c]))
      .join('  ')
      .trimEnd();
  return [row(header), row(widths.map((w) => '-'.repeat(w))), ...lines.map(row)].join('\n');
}

/**
 * The fused model's gate a (short-term share) over the 5 events after each switch, against its mean
 * at every other measured position (from MIN_BEFORE events to 40 past the switch); null when the
 * model reports no `a`.
 */
export function gateAroundSwitch(
  model: Scorer,
  dataset: Dataset,
  cases: readonly SwitchCase[],
): { afterSwitch: number; elsewhere: number } | null {
  const scores = new Float32Array(dataset.nItems);
  const sums = { after: 0, afterCount: 0, other: 0, otherCount: 0 };
  for (const kase of cases) {
    const last = Math.min(kase.end, kase.at + 40);
    for (let seen = MIN_BEFORE; seen <= last; seen++) {
      model.scoreAll(query(dataset, kase, seen), scores);
      const a = model.lastDiagnostics?.().a;
      if (a === undefined) return null;
      if (seen > kase.at && seen <= kase.at + 5) {
        sums.after += a;
        sums.afterCount++;
      } else {
        sums.other += a;
        sums.otherCount++;
      }
    }
  }
  return {
    afterSwitch: sums.after / Math.max(sums.afterCount, 1),
    elsewhere: sums.other / Math.max(sums.otherCount, 1),
  };
}
