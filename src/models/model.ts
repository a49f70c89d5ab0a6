import type { ProgressReporter } from '../core/progress.js';
import type { Context } from '../core/types.js';
import type { SequenceCorpus } from '../data/corpus.js';
import type { EvalCase } from '../data/split.js';

/** What a model is asked: a user (if known to it) and their chronological history. */
export interface RecQuery {
  /** Dense user index of the training data, or -1 for a user the model never saw. */
  user: number;
  /** Chronological dense item indices. */
  history: Int32Array;
  /** Event times (ms), aligned with history, when the data has them. */
  timestamps?: Float64Array;
  /** Event type codes (index into EVENT_TYPES), aligned with history. */
  types?: Uint8Array;
  /** The events' values (ratings), aligned with history, NaN where an event has none. */
  values?: Float32Array;
  /**
   * When the request is made (ms): the serving clock, or in evaluation the time of the event being
   * predicted (what a deployed recommender knows when the user arrives, never the item).
   */
  now?: number;
  context?: Context;
}

/** Scores every item for a query; higher = more likely next. */
export interface Scorer {
  /** Writes one score per dense item index into `scoresByItem` (length nItems). */
  scoreAll(query: RecQuery, scoresByItem: Float32Array): void;
  /** Figures about the last scoreAll, e.g. the fused model's short-term weight a. */
  lastDiagnostics?(): Readonly<Record<string, number>>;
  /**
   * Another event has happened (any user's, in time order): models with streaming features (what is
   * popular now) fold it in, as the online engine does for each event it receives.
   */
  observe?(item: number, timeMs: number): void;
}

/** Predicts an explicit rating. */
export interface RatingPredictor {
  /** The rating the query's user would give `item` next. */
  predictRating(query: RecQuery, item: number): number;
  /** False when this model cannot rate (a neural model without a rating head); absent: it can. */
  predictsRatings?(): boolean;
}

/** What a model learns from. */
export interface FitData {
  /** Every event before the targets being predicted. */
  corpus: SequenceCorpus;
  /**
   * Held-out cases a model may use for early stopping or tuning (never the test cases), with the
   * corpus of everything before them and the corpus their positions point into.
   */
  validation?: {
    corpus: SequenceCorpus;
    cases: readonly EvalCase[];
    casesCorpus: SequenceCorpus;
    /** How the cases were held out (see Split.validation); absent: not said. */
    heldOut?: 'leave-one-out' | 'latest-slice';
  };
  /** Text vectors of each dense item, row-major [nItems, dim], for text-aware models. */
  itemText?: { readonly dim: number; readonly vectors: Float32Array; readonly encoderId?: string };
  /** Categories of each dense item (genres, topics), for models that learn P(c | u). */
  itemCategories?: readonly (readonly string[])[];
}

/** Predicts a user's interest over item categories, P(c | u). */
export interface CategoryPredictor {
  /** Category names, in the order of the distribution; null when the model has no category head. */
  categoryNames(): readonly string[] | null;
  /** Writes P(c | u) for the query into `out` (length = number of categories). */
  categoryDistribution(query: RecQuery, out: Float32Array): void;
}

export interface FitReport {
  seconds: number;
  epochs?: number;
  /** The last training loss, when the model has one. */
  loss?: number;
}

/** A model that learns from sequences and then scores items. */
export interface Recommender extends Scorer {
  readonly name: string;
  /** The typed config it was built with, for reports. */
  readonly config: Readonly<Record<string, unknown>>;
  fit(data: FitData, progress?: ProgressReporter): Promise<FitReport>;
}
