import type { TideError } from '../core/errors.js';
import type { Event, Item } from '../core/types.js';

/**
 * Options every reader takes. Without `onInvalid`, the first bad row throws a TideError naming
 * file, line and field; with it, the row is reported there and skipped (never silently).
 */
export interface ReadOptions {
  onInvalid?: (error: TideError) => void;
}

/** What a data folder or file offers, discovered by `openDataSource`. */
export interface DataSource {
  /** Short name for reports: `ml-1m`, `ml-100k`, `csv:events.csv`, `synthetic`... */
  readonly name: string;
  /** The detected format, e.g. `movielens-1m-sequences`, `movielens-100k`, `csv`, `jsonl`. */
  readonly format: string;
  /** True when events carry real timestamps (a temporal split is possible). */
  readonly hasTimestamps: boolean;
  /** True when events carry rating values (MSE/MAE are possible). */
  readonly hasRatings: boolean;
  /** Events in file order, in batches (one batch per read chunk), never the whole file at once. */
  events(opts?: ReadOptions): AsyncIterable<Event[]>;
  /** Catalogue items in batches; empty when the source has no catalogue. */
  items(opts?: ReadOptions): AsyncIterable<Item[]>;
}
