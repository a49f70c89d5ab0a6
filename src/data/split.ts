import { TideError } from '../core/errors.js';
import type { SequenceCorpus } from './corpus.js';

export type Stage = 'valid' | 'test';

/** One prediction to evaluate: a user's history, then what came next. */
export interface EvalCase {
  /** Dense user index. */
  readonly user: number;
  /** Positions [historyStart, historyEnd) of the full corpus form the history (for times, types...). */
  readonly historyStart: number;
  readonly historyEnd: number;
  /** Item indices of the history, chronological (a view into the corpus). */
  readonly history: Int32Array;
  /** The next item. */
  readonly target: number;
  /** Every item that counts as relevant for set metrics (Recall/Precision); contains `target`. */
  readonly relevant: Int32Array;
  /** The target event's value (e.g. rating), NaN when none. */
  readonly targetValue: number;
  /**
   * A temporal case's cut (ms): what the system knew of everyone's events when the prediction is
   * made. Absent for leave-one-out, which has no common time.
   */
  readonly origin?: number;
}

export interface Split {
  readonly kind: 'leave-one-out' | 'temporal';
  /**
   * How the validation targets are held out: each user's second last event, or the latest slice of
   * time before the test targets (what a deployed model is asked about next).
   */
  readonly validation: 'leave-one-out' | 'latest-slice';
  /** A line that says exactly how the split was made, for reports. */
  readonly description: string;
  /** Every event a model may learn from before predicting the stage's targets. */
  fitCorpus(stage: Stage): SequenceCorpus;
  cases(stage: Stage): EvalCase[];
}

/**
 * Leave-one-out as SASRec and ../shared/anchors do: a user with fewer than 4 events is training
 * data only; otherwise train = all but the last two, valid = the second last, test = the last,
 * and the test-time history is train + valid.
 *
 * @example
 * const split = leaveOneOut(dataset);
 * split.cases('test').length; // users with >= 4 events
 */
export function leaveOneOut(corpus: SequenceCorpus): Split {
  const lengthOf = (u: number) => corpus.offsets[u + 1] - corpus.offsets[u];
  const holdOut = (stage: Stage) => (stage === 'test' ? 1 : 2);
  return {
    kind: 'leave-one-out',
    validation: 'leave-one-out',
    description: 'leave-one-out (users with < 4 events: train only; valid = 2nd last, test = last)',
    fitCorpus: (stage) =>
      prefixCorpus(corpus, (u) => (lengthOf(u) < 4 ? lengthOf(u) : lengthOf(u) - holdOut(stage))),
    cases(stage) {
      const out: EvalCase[] = [];
      for (let u = 0; u < corpus.nUsers; u++) {
        if (lengthOf(u) < 4) continue;
        const start = corpus.offsets[u];
        const end = corpus.offsets[u + 1] - holdOut(stage);
        out.push(makeCase(corpus, u, start, end, end + 1));
      }
      return out;
    },
  };
}

export interface TemporalCut {
  /** Events at or after this time (ms) are test targets. */
  testFrom: number;
  /** Events in [validFrom, testFrom) are validation targets; defaults to no validation cases. */
  validFrom?: number;
  /**
   * Validation cuts spread evenly over [validFrom, testFrom) (default 1: validFrom alone). Each gives
   * every user with events before and after it a case, so that what is tuned on validation sees more
   * than one moment.
   */
  validOrigins?: number;
  /**
   * Instead of the first event after each validation cut, every event in [validFrom, testFrom) is a
   * case, predicted from everything before it, with the log replayed up to its time: what a served
   * model is asked after each event, returning users and sessions under way alike.
   */
  validEveryEvent?: boolean;
}

/**
 * A global temporal split: everything before the cut is history; each user with history before
 * and events after it gives one case whose target is the first event after the cut and whose
 * relevant set is every item they had after it (up to the next cut).
 */
export function temporalSplit(corpus: SequenceCorpus, cut: TemporalCut): Split {
  const ts = corpus.timestamps;
  if (!ts) throw new TideError('INVALID_INPUT', 'a temporal split needs timestamps, and this data has none');
  if (cut.validFrom !== undefined && cut.validFrom > cut.testFrom) {
    throw new TideError('CONFIG', 'temporal split: validFrom must not be after testFrom');
  }
  const firstAtOrAfter = (u: number, time: number) => {
    let p = corpus.offsets[u];
    while (p < corpus.offsets[u + 1] && ts[p] < time) p++;
    return p;
  };
  const bounds = (stage: Stage): [number, number] =>
    stage === 'test'
      ? [cut.testFrom, Number.POSITIVE_INFINITY]
      : [cut.validFrom ?? cut.testFrom, cut.testFrom];
  const iso = (ms: number) => new Date(ms).toISOString();
  return {
    kind: 'temporal',
    validation: 'latest-slice',
    description: `temporal (test from ${iso(cut.testFrom)}${cut.validFrom ? `, valid from ${iso(cut.validFrom)}${validWhere(cut)}` : ''})`,
    fitCorpus: (stage) =>
      prefixCorpus(corpus, (u) => firstAtOrAfter(u, bounds(stage)[0]) - corpus.offsets[u]),
    cases(stage) {
      const [from, until] = bounds(stage);
      if (stage === 'valid' && cut.validEveryEvent) return everyEventIn(corpus, from, until);
      const origins = stage === 'test' ? 1 : Math.max(1, cut.validOrigins ?? 1);
      const out: EvalCase[] = [];
      for (let k = 0; k < origins; k++) {
        const origin = k === 0 ? from : from + (k * (until - from)) / origins;
        for (let u = 0; u < corpus.nUsers; u++) {
          const start = corpus.offsets[u];
          const end = firstAtOrAfter(u, origin);
          const stop = Math.min(firstAtOrAfter(u, until), corpus.offsets[u + 1]);
          if (end > start && stop > end) out.push({ ...makeCase(corpus, u, start, end, stop), origin });
        }
      }
      return out;
    },
  };
}

function validWhere(cut: TemporalCut): string {
  if (cut.validEveryEvent) return ', every event';
  return (cut.validOrigins ?? 1) > 1 ? ` at ${cut.validOrigins} cuts` : '';
}

/** A case for every event in [from, until) after a user's first, its time the origin. */
function everyEventIn(corpus: SequenceCorpus, from: number, until: number): EvalCase[] {
  const ts = corpus.timestamps!;
  const out: EvalCase[] = [];
  for (let u = 0; u < corpus.nUsers; u++) {
    const start = corpus.offsets[u];
    for (let p = start + 1; p < corpus.offsets[u + 1]; p++) {
      if (ts[p] >= from && ts[p] < until)
        out.push({ ...makeCase(corpus, u, start, p, p + 1), origin: ts[p] });
    }
  }
  return out;
}

/**
 * A time cut's test with leave-one-out holdouts before it: the model learns from the events before
 * the cut less each user's last two, stops early on each user's second last, and is tested on the
 * events after the cut (what a model trained as on a data folder meets once deployed).
 */
export function temporalSplitWithLooValidation(corpus: SequenceCorpus, testFrom: number): Split {
  const temporal = temporalSplit(corpus, { testFrom });
  const before = temporal.fitCorpus('test');
  const loo = leaveOneOut(before);
  // the cases' positions must index the full corpus (times, types), not the copy before the cut
  const inFullCorpus = (kase: EvalCase): EvalCase => {
    const shift = corpus.offsets[kase.user] - before.offsets[kase.user];
    return { ...kase, historyStart: kase.historyStart + shift, historyEnd: kase.historyEnd + shift };
  };
  return {
    kind: 'temporal',
    validation: 'leave-one-out',
    description: `${temporal.description}; validation: leave-one-out before the cut`,
    fitCorpus: (stage) => (stage === 'test' ? before : loo.fitCorpus('valid')),
    cases: (stage) => (stage === 'test' ? temporal.cases('test') : loo.cases('valid').map(inFullCorpus)),
  };
}

/** The time (ms) below which the given fraction of all events falls. */
export function timeAtFraction(corpus: SequenceCorpus, fraction: number): number {
  const ts = corpus.timestamps;
  if (!ts) throw new TideError('INVALID_INPUT', 'a temporal split needs timestamps, and this data has none');
  if (!(fraction > 0 && fraction < 1))
    throw new TideError('CONFIG', `cut fraction must be in (0, 1), got ${fraction}`);
  const sorted = Float64Array.from(ts).sort();
  return sorted[Math.floor(fraction * (sorted.length - 1))];
}

function makeCase(corpus: SequenceCorpus, user: number, start: number, end: number, stop: number): EvalCase {
  const relevant = Int32Array.from(new Set(corpus.items.subarray(end, stop)));
  return {
    user,
    historyStart: start,
    historyEnd: end,
    history: corpus.items.subarray(start, end),
    target: corpus.items[end],
    relevant,
    targetValue: corpus.values ? corpus.values[end] : Number.NaN,
  };
}

/** A copy of the corpus keeping the first `keepOf(u)` events of each user (all users kept). */
export function prefixCorpus(corpus: SequenceCorpus, keepOf: (user: number) => number): SequenceCorpus {
  const offsets = new Int32Array(corpus.nUsers + 1);
  for (let u = 0; u < corpus.nUsers; u++) offsets[u + 1] = offsets[u] + keepOf(u);
  const total = offsets[corpus.nUsers];
  const positions = new Int32Array(total);
  for (let u = 0; u < corpus.nUsers; u++) {
    for (let k = 0; k < offsets[u + 1] - offsets[u]; k++) positions[offsets[u] + k] = corpus.offsets[u] + k;
  }
  const pick = <T extends Int32Array | Float64Array | Uint8Array | Float32Array>(from: T): T => {
    const out = new (from.constructor as new (n: number) => T)(total);
    for (let i = 0; i < total; i++) out[i] = from[positions[i]];
    return out;
  };
  return {
    nUsers: corpus.nUsers,
    nItems: corpus.nItems,
    offsets,
    items: pick(corpus.items),
    timestamps: corpus.timestamps ? pick(corpus.timestamps) : null,
    types: pick(corpus.types),
    values: corpus.values ? pick(corpus.values) : null,
  };
}

/** At most `limit` cases, spread evenly over all of them (every k-th), in their order. */
export function evenSpread(cases: readonly EvalCase[], limit: number): readonly EvalCase[] {
  if (cases.length <= limit) return cases;
  const stride = cases.length / limit;
  return Array.from({ length: limit }, (_, k) => cases[Math.floor(k * stride)]);
}
