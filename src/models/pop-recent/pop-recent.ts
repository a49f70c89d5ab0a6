import type { SequenceCorpus } from '../../data/corpus.js';
import { replayCases } from '../../data/replay.js';
import type { EvalCase } from '../../data/split.js';
import type { FitData, FitReport, Recommender, RecQuery } from '../model.js';
import { POP_RECENT_CANDIDATE_DAYS, PopRecentConfig } from './config.js';

const DAY_MS = 86_400_000;

/**
 * Recent popularity: every user gets the items with the most events in the last `days` before the
 * latest event seen — what is popular now. The counts follow the events `observe` passes on (a
 * temporal evaluation replays the log after the cut), as a deployed system's would. With
 * `days: "auto"` the window is chosen among POP_RECENT_CANDIDATE_DAYS by NDCG@10 on the validation
 * cases, replayed the same way. Data without times falls back to all-time counts (`days` reported
 * as 0).
 *
 * @example
 * const model = new RecentPopularityModel({ days: 30 });
 * await model.fit({ corpus });
 */
export class RecentPopularityModel implements Recommender {
  readonly name = 'pop-recent';
  private settings: PopRecentConfig;
  private window: WindowCounts | null = null;

  constructor(config: Partial<PopRecentConfig> = {}) {
    this.settings = PopRecentConfig.parse(config);
  }

  get config(): Readonly<Record<string, unknown>> {
    return this.settings;
  }

  async fit(data: FitData): Promise<FitReport> {
    const started = performance.now();
    let days = this.settings.days;
    if (!data.corpus.timestamps) days = 0;
    else if (days === 'auto') days = data.validation ? tuneDays(data.validation) : 30;
    this.settings = { days };
    this.window = WindowCounts.fromCorpus(data.corpus, days);
    return { seconds: (performance.now() - started) / 1000 };
  }

  observe(item: number, timeMs: number): void {
    this.window?.add(item, timeMs);
  }

  scoreAll(_query: RecQuery, scoresByItem: Float32Array): void {
    const counts = this.window?.counts;
    for (let i = 0; i < scoresByItem.length; i++) scoresByItem[i] = counts?.[i] ?? 0;
  }
}

/**
 * Events per item in the last `days` before the latest event added (days 0: all of them), kept as
 * events are added in time order; an event already outside the window is not counted.
 */
export class WindowCounts {
  readonly counts: Float64Array;
  private readonly times: number[] = [];
  private readonly items: number[] = [];
  private head = 0;
  private clock = Number.NEGATIVE_INFINITY;

  constructor(
    nItems: number,
    private readonly days: number,
  ) {
    this.counts = new Float64Array(nItems);
  }

  /** The window over a corpus's events (all of them when it has no times). */
  static fromCorpus(corpus: SequenceCorpus, days: number): WindowCounts {
    const times = corpus.timestamps;
    const window = new WindowCounts(corpus.nItems, times ? days : 0);
    const order = Int32Array.from(corpus.items, (_, p) => p);
    if (times) order.sort((a, b) => times[a] - times[b]);
    for (const p of order) window.add(corpus.items[p], times ? times[p] : 0);
    return window;
  }

  add(item: number, timeMs: number): void {
    if (this.days <= 0) {
      this.counts[item]++;
      return;
    }
    if (timeMs <= this.clock - this.days * DAY_MS) return;
    this.times.push(timeMs);
    this.items.push(item);
    this.counts[item]++;
    if (timeMs > this.clock) this.clock = timeMs;
    const from = this.clock - this.days * DAY_MS;
    for (; this.head < this.times.length && this.times[this.head] <= from; this.head++)
      this.counts[this.items[this.head]]--;
    if (this.head > 4096 && this.head * 2 > this.times.length) {
      this.times.splice(0, this.head);
      this.items.splice(0, this.head);
      this.head = 0;
    }
  }
}

/** The candidate window with the best NDCG@10 on the validation cases (ties: the shorter window). */
function tuneDays(validation: NonNullable<FitData['validation']>): number {
  let best = { days: POP_RECENT_CANDIDATE_DAYS[0], ndcg: -1 };
  for (const days of POP_RECENT_CANDIDATE_DAYS) {
    const window = WindowCounts.fromCorpus(validation.corpus, days);
    let sum = 0;
    replayCases(
      validation.cases,
      validation.casesCorpus,
      (item, time) => window.add(item, time),
      (kase) => {
        sum += ndcgAt10(window.counts, kase);
      },
    );
    const ndcg = sum / Math.max(validation.cases.length, 1);
    if (ndcg > best.ndcg) best = { days, ndcg };
  }
  return best.days;
}

/**
 * NDCG@10 of ranking every item not in the history by `scores`, a tie counting as half ahead (the
 * expectation over random tie-breaks, to within the discount's curvature: enough to choose a window).
 */
function ndcgAt10(scores: Float64Array, kase: EvalCase): number {
  const seen = new Set(kase.history);
  seen.delete(kase.target);
  const target = scores[kase.target];
  let greater = 0;
  let equal = 0;
  for (let i = 0; i < scores.length; i++) {
    if (i === kase.target || seen.has(i)) continue;
    if (scores[i] > target) greater++;
    else if (scores[i] === target) equal++;
  }
  const rank = greater + equal / 2;
  return rank < 10 ? 1 / Math.log2(rank + 2) : 0;
}
