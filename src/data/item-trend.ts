import type { SequenceCorpus } from './corpus.js';

const DAY_MS = 86_400_000;

/** Days after its first event at which an item's newness is 1/2. */
const NEWNESS_DAYS = 30;

/** Half-lives (days) of the decayed counts a trend tracks by default: what is popular today, this week, this month. */
export const DEFAULT_HALF_LIVES_DAYS: readonly number[] = [1, 7, 30];

/**
 * What is popular now: per item, event counts decayed exponentially with a few half-lives, the
 * all-time count and how new the item is, kept current event by event. The same object serves offline (built from a corpus)
 * and online (fed each event as it arrives), so a model sees the same features in both. Counts are
 * read as of the trend's clock, the time of the latest event it has seen: after a quiet spell (or past
 * the end of the training data) it reports what was popular when events last came, not zeros.
 *
 * Features of item i, row-major [features, nItems] (features = half-lives + 2): per half-life and
 * then all time, log1p(count(i) · nItems / Σ_j count(j)), the count relative to the mean item's, so
 * that the features mean the same at quiet and busy times; last, its newness 1 / (1 + days since its
 * first event / 30) (0 for an item never seen). Order-independent: an event older than an item's
 * latest is added already decayed.
 *
 * @example
 * const trend = ItemTrend.fromCorpus(corpus);
 * trend.add(42, Date.now());
 * const featuresByItem = trend.features(); // [5, nItems]
 */
export class ItemTrend {
  readonly halfLivesDays: readonly number[];
  /** Features per item: one per half-life, the all-time count, newness. */
  readonly featureCount: number;
  /** Time (ms) of the latest event seen; -Infinity before any. */
  clock = Number.NEGATIVE_INFINITY;
  private readonly rates: Float64Array;
  /** Row-major [half-lives, nItems]: decayed counts as of `stamps[i]`. */
  private readonly mass: Float64Array;
  private readonly stamps: Float64Array;
  private readonly counts: Float64Array;
  /** Per item, the time of its first event (Infinity before any). */
  private readonly firstSeen: Float64Array;
  private readonly totalMass: Float64Array;
  private totalStamp = Number.NEGATIVE_INFINITY;
  private totalCount = 0;
  private cache: Float32Array | null = null;

  constructor(
    readonly nItems: number,
    halfLivesDays: readonly number[] = DEFAULT_HALF_LIVES_DAYS,
  ) {
    if (!halfLivesDays.every((h) => h > 0 && Number.isFinite(h)))
      throw new RangeError(`half-lives must be positive days, got ${halfLivesDays.join(', ')}`);
    this.halfLivesDays = [...halfLivesDays];
    this.featureCount = halfLivesDays.length + 2;
    this.rates = Float64Array.from(halfLivesDays, (h) => Math.LN2 / (h * DAY_MS));
    this.mass = new Float64Array(halfLivesDays.length * nItems);
    this.stamps = new Float64Array(nItems).fill(Number.NEGATIVE_INFINITY);
    this.counts = new Float64Array(nItems);
    this.firstSeen = new Float64Array(nItems).fill(Number.POSITIVE_INFINITY);
    this.totalMass = new Float64Array(halfLivesDays.length);
  }

  /** A trend over every event of the corpus (all-time counts only when it has no times). */
  static fromCorpus(corpus: SequenceCorpus, halfLivesDays?: readonly number[]): ItemTrend {
    const trend = new ItemTrend(corpus.nItems, halfLivesDays);
    const times = corpus.timestamps;
    for (let p = 0; p < corpus.items.length; p++) trend.add(corpus.items[p], times ? times[p] : Number.NaN);
    return trend;
  }

  /** Counts one event of `item` at `timeMs` (NaN: unknown, all-time count only); weight -1 takes one back. */
  add(item: number, timeMs: number, weight = 1): void {
    if (item < 0 || item >= this.nItems) return;
    this.cache = null;
    this.counts[item] += weight;
    this.totalCount += weight;
    if (!Number.isFinite(timeMs)) return;
    if (timeMs > this.clock) this.clock = timeMs;
    if (weight > 0 && timeMs < this.firstSeen[item]) this.firstSeen[item] = timeMs;
    this.stamps[item] = this.fold(this.mass, item, this.stamps[item], timeMs, weight);
    this.totalStamp = this.fold(this.totalMass, 0, this.totalStamp, timeMs, weight);
  }

  /** Takes back one event (a deleted user's). */
  remove(item: number, timeMs: number): void {
    this.add(item, timeMs, -1);
  }

  /**
   * The features of every item as of the clock, row-major [featureCount, nItems]; the same array until
   * the next event (do not write to it).
   */
  features(): Float32Array {
    if (this.cache) return this.cache;
    const n = this.nItems;
    const out = new Float32Array(this.featureCount * n);
    for (let h = 0; h < this.rates.length; h++) {
      const total = this.totalMass[h] * Math.exp(-this.rates[h] * (this.clock - this.totalStamp));
      if (!(total > 0)) continue;
      for (let i = 0; i < n; i++) {
        const mass = this.mass[h * n + i];
        if (mass <= 0) continue;
        const now = mass * Math.exp(-this.rates[h] * (this.clock - this.stamps[i]));
        out[h * n + i] = Math.log1p((now * n) / total);
      }
    }
    const last = this.rates.length * n;
    if (this.totalCount > 0)
      for (let i = 0; i < n; i++)
        out[last + i] = Math.log1p((Math.max(this.counts[i], 0) * n) / this.totalCount);
    const age = last + n;
    for (let i = 0; i < n; i++) {
      const days = (this.clock - this.firstSeen[i]) / DAY_MS;
      out[age + i] = Number.isFinite(days) ? 1 / (1 + Math.max(days, 0) / NEWNESS_DAYS) : 0;
    }
    this.cache = out;
    return out;
  }

  /** Adds `weight` at `time` to entry `column` of each half-life row, stored as of `stamp`; returns the new stamp. */
  private fold(mass: Float64Array, column: number, stamp: number, time: number, weight: number): number {
    const stride = mass.length / this.rates.length;
    if (stamp === Number.NEGATIVE_INFINITY) {
      for (let h = 0; h < this.rates.length; h++) mass[h * stride + column] = weight;
      return time;
    }
    for (let h = 0; h < this.rates.length; h++) {
      const k = h * stride + column;
      if (time >= stamp) mass[k] = mass[k] * Math.exp(-this.rates[h] * (time - stamp)) + weight;
      else mass[k] += weight * Math.exp(-this.rates[h] * (stamp - time));
    }
    return Math.max(stamp, time);
  }
}
