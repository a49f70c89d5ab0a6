/**
 * A user's current interest mixture over categories, found by Bayesian online change-point
 * detection (Adams & MacKay, 2007) over the categories of their events: the history is a run of
 * segments, each with its own mixture; the posterior over how many of the latest events belong to
 * the current segment weighs, for each such run, the categories seen in it against a prior (the
 * model's own next-item distribution, when one is given). One stray event barely moves it; a run of
 * events from a new topic moves it within a few events and keeps it there.
 */

import { TideError } from '../core/errors.js';

export interface InterestShiftSettings {
  /** Probability that a new segment starts at any event. */
  hazard: number;
  /** Weight of the prior in a segment's mixture, in events. */
  concentration: number;
  /** Share of events from no segment's mixture (uniform over the categories). */
  noise: number;
  /** Longest run followed; older runs are merged into this one. */
  maxRun: number;
}

/** Chosen on generated worlds with a planted switch, not those of the bench (docs/experiments.md). */
export const DEFAULT_INTEREST_SHIFT: InterestShiftSettings = {
  hazard: 0.01,
  concentration: 0.5,
  noise: 0.1,
  maxRun: 200,
};

/**
 * Follows one user's events. `observe` each event's categories in time order; `estimate` gives the
 * mixture now. The runs live in fixed arrays used as a ring (the newest run at `head`), so an event
 * costs O(maxRun x its categories) with no allocation.
 *
 * @example
 * const shift = new InterestShift(prior);
 * for (const cats of eventCategories) shift.observe(cats);
 * shift.estimate(modelMass, out);
 */
export class InterestShift {
  private readonly k: number;
  /** Posterior, event count and category counts of each run, by slot. */
  private readonly probs: Float64Array;
  private readonly totals: Float64Array;
  private readonly counts: Float64Array;
  /** Slot of the newest run, and how many runs there are (run r, holding the last r + 1 events, is at head + r). */
  private head = 0;
  private runs = 0;

  /**
   * @param prior the categories' shares that a new segment starts from when scoring events (the
   *   catalogue's or the log's category shares)
   */
  constructor(
    private readonly prior: ArrayLike<number>,
    private readonly settings: InterestShiftSettings = DEFAULT_INTEREST_SHIFT,
  ) {
    this.k = prior.length;
    if (!Number.isInteger(settings.maxRun) || settings.maxRun < 2)
      throw new TideError(
        'CONFIG',
        `interest shift: maxRun must be an integer of at least 2, got ${settings.maxRun}`,
      );
    if (!(settings.noise > 0 && settings.noise < 1))
      throw new TideError(
        'CONFIG',
        `interest shift: noise must be above 0 and below 1, got ${settings.noise}`,
      );
    if (!(settings.hazard > 0 && settings.hazard < 1))
      throw new TideError(
        'CONFIG',
        `interest shift: hazard must be above 0 and below 1, got ${settings.hazard}`,
      );
    if (!(settings.concentration > 0))
      throw new TideError(
        'CONFIG',
        `interest shift: concentration must be above 0, got ${settings.concentration}`,
      );
    const slots = settings.maxRun + 1;
    this.probs = new Float64Array(slots);
    this.totals = new Float64Array(slots);
    this.counts = new Float64Array(slots * this.k);
  }

  /**
   * Takes the next event (the indices of its item's categories; an event without any is skipped)
   * and returns the log of the probability the model gave it before seeing it.
   */
  observe(categories: readonly number[]): number {
    if (categories.length === 0) return 0;
    const { hazard, concentration, noise, maxRun } = this.settings;
    const slots = maxRun + 1;
    // a new run (no events yet) is born with the hazard's share; the others go on
    const born = this.runs === 0 ? 1 : hazard;
    for (let r = 0; r < this.runs; r++) this.probs[(this.head + r) % slots] *= 1 - hazard;
    this.head = (this.head + slots - 1) % slots;
    this.probs[this.head] = born;
    this.totals[this.head] = 0;
    this.counts.fill(0, this.head * this.k, (this.head + 1) * this.k);
    this.runs = Math.min(this.runs + 1, slots);
    // an event of several categories is one draw of one of them: its probability is their mean,
    // under a segment as under a stray pick of a category
    const share = 1 / categories.length;
    const stray = noise / this.k;
    let evidence = 0;
    for (let r = 0; r < this.runs; r++) {
      const slot = (this.head + r) % slots;
      let inSegment = 0;
      for (const c of categories) inSegment += this.counts[slot * this.k + c] + concentration * this.prior[c];
      const likelihood = ((1 - noise) * inSegment * share) / (this.totals[slot] + concentration) + stray;
      this.probs[slot] *= likelihood;
      evidence += this.probs[slot];
    }
    for (let r = 0; r < this.runs; r++) {
      const slot = (this.head + r) % slots;
      this.probs[slot] /= evidence;
      this.totals[slot] += 1;
      for (const c of categories) this.counts[slot * this.k + c] += share;
    }
    if (this.runs === slots) {
      // the oldest run merges into the one before it (their mixtures differ little by then)
      const oldest = (this.head + slots - 1) % slots;
      this.probs[(this.head + slots - 2) % slots] += this.probs[oldest];
      this.runs = maxRun;
    }
    return Math.log(evidence);
  }

  /**
   * Writes the current segment's expected mixture into `out`: per run, its category counts with
   * `base` (e.g. the category mass of the model's next-item distribution) as the prior, weighted by
   * the run's posterior. With no event observed, `base` itself. `base` is normalised first (the
   * catalogue's shares when it holds no mass), and so is the result.
   */
  estimate(base: ArrayLike<number>, out: Float32Array): void {
    const { concentration, maxRun } = this.settings;
    let mass = 0;
    for (let c = 0; c < this.k; c++) mass += base[c];
    const prior = mass > 0 ? base : this.prior;
    const norm = mass > 0 ? mass : 1;
    out.fill(0);
    if (this.runs === 0) {
      for (let c = 0; c < this.k; c++) out[c] = prior[c] / norm;
      return;
    }
    for (let r = 0; r < this.runs; r++) {
      const slot = (this.head + r) % (maxRun + 1);
      const scale = this.probs[slot] / (this.totals[slot] + concentration);
      for (let c = 0; c < this.k; c++)
        out[c] += scale * (this.counts[slot * this.k + c] + (concentration * prior[c]) / norm);
    }
    let total = 0;
    for (let c = 0; c < this.k; c++) total += out[c];
    if (total > 0) for (let c = 0; c < this.k; c++) out[c] /= total;
  }
}
