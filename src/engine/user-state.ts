/**
 * One user's online state and its event-at-a-time update. It holds what the model needs to continue
 * (the last maxLength items for attention models, the hidden state for recurrent ones), the items
 * seen, the recent events for explanations, and the long-term interest in the text space
 * (`foldTextInterest`: an exponential moving average of the touched items' text vectors), which works
 * from a user's first event on, for users and items that arrived after training too.
 */
import { EVENT_TYPES, type EventType } from '../core/types.js';
import type { RecurrentStepper } from '../models/neural/network.js';
import type { InterestFacet } from '../models/neural/recommender.js';
import type { LoggedEvent } from '../storage/ports.js';
import { foldTextInterest } from '../text/interest.js';
import type { Catalog } from './catalog.js';

/** Recent events kept for explanations and the timeline. */
export const RECENT_EVENTS = 20;

export interface RecentEvent {
  index: number;
  type: EventType;
  at: number;
}

export class UserState {
  events = 0;
  appliedSeq = 0;
  lastAt: number | null = null;
  /** Model item indices of the last maxLength warm events, with their times and type codes. */
  readonly windowItems: number[] = [];
  readonly windowTimes: number[] = [];
  readonly windowTypes: number[] = [];
  readonly recent: RecentEvent[] = [];
  /** Catalogue index -> bit mask of the event types seen with it. */
  readonly seen = new Map<number, number>();
  hidden: Float32Array | null = null;
  textInterest: Float32Array | null = null;
  /** The user vector of the current state (null until computed; stale after an event). */
  vector: Float32Array | null = null;
  diagnostics: Readonly<Record<string, number>> = {};
  /** The facets of the current user vector, when the model has them. */
  facets: InterestFacet[] | null = null;

  constructor(readonly userId: string) {}

  /**
   * Folds one logged event in: O(1) for attention models (the window), one recurrent step for
   * recurrent ones. The user vector is recomputed by `refresh`, on the next read.
   */
  apply(event: LoggedEvent, catalog: Catalog): void {
    const index = catalog.intern(event.itemId);
    const typeCode = EVENT_TYPES.indexOf(event.type);
    const model = catalog.model;
    const previousAt = this.lastAt;
    this.events++;
    this.appliedSeq = Math.max(this.appliedSeq, event.seq);
    this.lastAt = previousAt === null ? event.timestamp : Math.max(previousAt, event.timestamp);
    this.seen.set(index, (this.seen.get(index) ?? 0) | (1 << typeCode));
    this.recent.push({ index, type: event.type, at: event.timestamp });
    if (this.recent.length > RECENT_EVENTS) this.recent.shift();
    const text = catalog.textVectors[index];
    if (text) this.textInterest = foldTextInterest(this.textInterest, text);
    if (!model || index >= catalog.warmCount) return;
    // Offline histories are ordered by time, ties in arrival order: a late event goes where its
    // time puts it, so that the state is the one the same events give offline.
    const at = insertionPoint(this.windowTimes, event.timestamp);
    const previousWarmAt = at > 0 ? this.windowTimes[at - 1] : null;
    this.windowItems.splice(at, 0, index);
    this.windowTimes.splice(at, 0, event.timestamp);
    this.windowTypes.splice(at, 0, typeCode);
    const late = at < this.windowTimes.length - 1;
    if (this.windowItems.length > model.maxLength) {
      this.windowItems.shift();
      this.windowTimes.shift();
      this.windowTypes.shift();
    }
    if (model.stepper) {
      if (late || !this.hidden) this.replayWindow(model.stepper);
      else {
        const gapSeconds = previousWarmAt === null ? 0 : Math.max(0, event.timestamp - previousWarmAt) / 1000;
        model.stepper.step(this.hidden, index, gapSeconds, typeCode);
      }
    }
    this.vector = null;
  }

  /** The recurrent state rebuilt from the window's events, in time order (after a late event). */
  private replayWindow(stepper: RecurrentStepper): void {
    this.hidden = stepper.initialState();
    for (let j = 0; j < this.windowItems.length; j++) {
      const gapSeconds = j === 0 ? 0 : Math.max(0, this.windowTimes[j] - this.windowTimes[j - 1]) / 1000;
      stepper.step(this.hidden, this.windowItems[j], gapSeconds, this.windowTypes[j]);
    }
  }

  /** Recomputes the user vector from the state (a recurrent readout, or one window encode). */
  refresh(catalog: Catalog): Float32Array | null {
    const model = catalog.model;
    if (!model || this.windowItems.length === 0) return null;
    if (this.vector) return this.vector;
    const vector = new Float32Array(model.dim);
    if (model.stepper && this.hidden) {
      model.stepper.readout(this.hidden, vector);
      this.diagnostics = {};
      this.facets = null;
    } else {
      this.diagnostics = model.encode(
        {
          user: -1,
          history: Int32Array.from(this.windowItems),
          timestamps: Float64Array.from(this.windowTimes),
          types: Uint8Array.from(this.windowTypes),
        },
        vector,
      );
      this.facets = model.lastFacets();
    }
    this.vector = vector;
    return vector;
  }

  /** The time of the user's latest event with one of the model's items (null before any). */
  latestModelEventAt(): number | null {
    return this.windowTimes.length > 0 ? Math.max(...this.windowTimes) : null;
  }

  /** True when the user has any event of one of `types` with the item. */
  hasSeen(index: number, typeMask: number): boolean {
    return ((this.seen.get(index) ?? 0) & typeMask) !== 0;
  }
}

/** The index after every time <= `time` in ascending `times` (ties keep arrival order). */
function insertionPoint(times: readonly number[], time: number): number {
  let at = times.length;
  while (at > 0 && times[at - 1] > time) at--;
  return at;
}

/** The bit mask of a list of event types (all types when undefined). */
export function typeMask(types: readonly EventType[] | undefined): number {
  if (!types) return (1 << EVENT_TYPES.length) - 1;
  return types.reduce((mask, type) => mask | (1 << EVENT_TYPES.indexOf(type)), 0);
}
