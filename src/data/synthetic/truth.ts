import type { Event, ItemId, UserId } from '../../core/types.js';
import type { DriftTruth, World } from './world.js';

/** Per-world lookups, built once on first use. */
interface WorldIndex {
  readonly eventsByUser: ReadonlyMap<UserId, readonly Event[]>;
  readonly topicOfItem: ReadonlyMap<ItemId, string>;
}

const indexes = new WeakMap<World, WorldIndex>();

function indexOf(world: World): WorldIndex {
  let index = indexes.get(world);
  if (index === undefined) {
    const eventsByUser = new Map<UserId, Event[]>();
    for (const event of world.events) {
      const list = eventsByUser.get(event.userId);
      if (list === undefined) eventsByUser.set(event.userId, [event]);
      else list.push(event);
    }
    const topicOfItem = new Map(world.items.map((item) => [item.itemId, item.categories?.[0] ?? '']));
    index = { eventsByUser, topicOfItem };
    indexes.set(world, index);
  }
  return index;
}

/**
 * One user's events in their chronological order (the order `atEventIndex` counts in).
 *
 * @example
 * userEvents(world, 'u0001').length === world.truth.users.u0001.eventCount; // true
 */
export function userEvents(world: World, userId: UserId): readonly Event[] {
  return indexOf(world).eventsByUser.get(userId) ?? [];
}

/**
 * The topic (main category) of an item of the world, or undefined for an unknown id.
 *
 * @example
 * itemTopic(world, world.events[0].itemId); // 'jazz'
 */
export function itemTopic(world: World, itemId: ItemId): string | undefined {
  return indexOf(world).topicOfItem.get(itemId);
}

/**
 * Share of each topic among `events` (topics with no event are absent).
 *
 * @example
 * topicShares(world, userEvents(world, 'u0001')); // { jazz: 0.8, gardening: 0.2 }
 */
export function topicShares(world: World, events: readonly Event[]): Record<string, number> {
  const shares: Record<string, number> = {};
  for (const event of events) {
    const topic = itemTopic(world, event.itemId) ?? '';
    shares[topic] = (shares[topic] ?? 0) + 1 / events.length;
  }
  return shares;
}

/** A user's topic shares on either side of a split in their history. */
export interface TopicShift {
  readonly userId: UserId;
  /** The drift the split is at; undefined for a user without drifts (split at the middle). */
  readonly drift?: DriftTruth;
  /** Index of the user's first event after the split (the drift's `atEventIndex`, or the middle). */
  readonly splitIndex: number;
  /** Topic shares over the stretches described at `topicShareBeforeAfter`. */
  readonly before: Record<string, number>;
  readonly after: Record<string, number>;
}

/**
 * Topic shares before and after a user's drift number `driftNumber` (0 = first). `before` runs from
 * the previous drift's settled point (or the start) up to the drift; `after` from where the drift
 * has settled (past its ramp) up to the next drift (or the end). A user without drifts is split at
 * the middle of the history, as a control. Undefined when the user or that drift does not exist.
 *
 * @example
 * const shift = topicShareBeforeAfter(world, 'u0003');
 * if (shift?.drift) console.log(shift.before[shift.drift.to], '->', shift.after[shift.drift.to]);
 */
export function topicShareBeforeAfter(world: World, userId: UserId, driftNumber = 0): TopicShift | undefined {
  const truth = world.truth.users[userId];
  if (truth === undefined) return undefined;
  const events = userEvents(world, userId);
  if (truth.drifts.length === 0) {
    if (driftNumber !== 0) return undefined;
    const splitIndex = Math.floor(events.length / 2);
    const before = topicShares(world, events.slice(0, splitIndex));
    return { userId, splitIndex, before, after: topicShares(world, events.slice(splitIndex)) };
  }
  const drift = truth.drifts[driftNumber];
  if (drift === undefined) return undefined;
  const previous = truth.drifts[driftNumber - 1];
  const next = truth.drifts[driftNumber + 1];
  const beforeFrom = previous === undefined ? 0 : previous.atEventIndex + previous.rampEvents;
  const afterTo = next === undefined ? events.length : next.atEventIndex;
  return {
    userId,
    drift,
    splitIndex: drift.atEventIndex,
    before: topicShares(world, events.slice(beforeFrom, drift.atEventIndex)),
    after: topicShares(world, events.slice(drift.atEventIndex + drift.rampEvents, afterTo)),
  };
}
