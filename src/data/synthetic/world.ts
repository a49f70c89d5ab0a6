import type { Event, Item, UserId } from '../../core/types.js';
import type { WorldConfig } from './config.js';
import type { ContextRule } from './context.js';

/** A topic and its weight in a user's interest mixture. */
export interface TopicWeight {
  readonly topic: string;
  readonly weight: number;
}

/** One recorded move of a user's main interest. */
export interface DriftTruth {
  /** Index, in the user's chronological events, of the first event drawn from the moved interest. */
  readonly atEventIndex: number;
  /** Timestamp of that event. */
  readonly atTimestamp: number;
  /** The topic that was the user's main interest before the drift. */
  readonly from: string;
  /** The topic that takes over. */
  readonly to: string;
  readonly kind: 'abrupt' | 'gradual';
  /** Events over which the interest blends from old to new (0 when abrupt); fully moved from
   * `atEventIndex + rampEvents` on. */
  readonly rampEvents: number;
}

export interface UserTruth {
  /** Interest mixture at the start, weights >= 0.01, largest first. */
  readonly initialTopics: readonly TopicWeight[];
  /** Interest mixture after the last drift (equal to initialTopics when there is none). */
  readonly finalTopics: readonly TopicWeight[];
  /** In chronological order; empty when the user's interest never moves. */
  readonly drifts: readonly DriftTruth[];
  readonly eventCount: number;
}

/** What the generator knows and models must discover. */
export interface GroundTruth {
  readonly users: Readonly<Record<UserId, UserTruth>>;
  /** How context (hour, device) made some topics more likely. */
  readonly contextRule: ContextRule;
  /** Probability of continuing to the next item of a series (the sequential signal). */
  readonly seriesContinuation: number;
}

/**
 * A generated world. `events` are in global time order (ties by user id); each user's events are
 * in their own chronological order, which is what `atEventIndex` counts.
 */
export interface World {
  readonly config: WorldConfig;
  /** Topic names; each item's `categories` is `[one of these]`. */
  readonly topics: readonly string[];
  readonly items: readonly Item[];
  readonly events: readonly Event[];
  readonly truth: GroundTruth;
}
