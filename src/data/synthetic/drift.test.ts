import { describe, expect, it } from 'vitest';
import type { UserId } from '../../core/types.js';
import { generateWorld } from './generate.js';
import { topicShareBeforeAfter, userEvents } from './truth.js';
import type { World } from './world.js';

const world = generateWorld();
const userIds = Object.keys(world.truth.users);
const drifting = userIds.filter((id) => world.truth.users[id].drifts.length > 0);
const steady = userIds.filter((id) => world.truth.users[id].drifts.length === 0);

function mean(values: readonly number[]): number {
  return values.reduce((sum, x) => sum + x, 0) / values.length;
}

/** after - before share of `topic` for each user, at their drift number `driftNumber`. */
function shareGains(users: readonly UserId[], pick: 'to' | 'from', driftNumber = 0): number[] {
  return users.flatMap((userId) => {
    const shift = topicShareBeforeAfter(world, userId, driftNumber);
    if (shift?.drift === undefined) return [];
    const topic = shift.drift[pick];
    return [(shift.after[topic] ?? 0) - (shift.before[topic] ?? 0)];
  });
}

/**
 * Next-item accuracy on the odd users of a predictor fitted on the even users: "the item most often
 * seen after the current one" versus "the most popular item other than the current one".
 */
function nextItemAccuracy(of: World): { sequential: number; popularity: number } {
  const ids = Object.keys(of.truth.users);
  const followers = new Map<string, Map<string, number>>();
  const popularity = new Map<string, number>();
  ids.forEach((userId, u) => {
    if (u % 2 === 1) return;
    const items = userEvents(of, userId).map((e) => e.itemId);
    items.forEach((item, i) => {
      popularity.set(item, (popularity.get(item) ?? 0) + 1);
      if (i === 0) return;
      const counts = followers.get(items[i - 1]) ?? new Map<string, number>();
      counts.set(item, (counts.get(item) ?? 0) + 1);
      followers.set(items[i - 1], counts);
    });
  });
  const byPopularity = [...popularity.entries()].sort((a, b) => b[1] - a[1]).map(([item]) => item);
  const mostFrequent = (counts: Map<string, number> | undefined) =>
    counts === undefined ? undefined : [...counts.entries()].sort((a, b) => b[1] - a[1])[0][0];
  let sequentialHits = 0;
  let popularityHits = 0;
  let transitions = 0;
  ids.forEach((userId, u) => {
    if (u % 2 === 0) return;
    const items = userEvents(of, userId).map((e) => e.itemId);
    for (let i = 1; i < items.length; i++) {
      const popular = byPopularity[0] === items[i - 1] ? byPopularity[1] : byPopularity[0];
      if (mostFrequent(followers.get(items[i - 1])) === items[i]) sequentialHits++;
      if (popular === items[i]) popularityHits++;
      transitions++;
    }
  });
  return { sequential: sequentialHits / transitions, popularity: popularityHits / transitions };
}

describe('recorded ground truth', () => {
  it('has a share of drifting users near the configured probability', () => {
    expect(drifting.length / userIds.length).toBeGreaterThan(0.6);
    expect(drifting.length / userIds.length).toBeLessThan(0.8);
    expect(drifting.some((id) => world.truth.users[id].drifts.length === 2)).toBe(true);
  });

  it('records drifts that point at real events, from the main topic to another one', () => {
    for (const userId of drifting) {
      const truth = world.truth.users[userId];
      const events = userEvents(world, userId);
      expect(truth.drifts[0].from).toBe(truth.initialTopics[0].topic);
      for (const drift of truth.drifts) {
        expect(drift.to).not.toBe(drift.from);
        expect(events[drift.atEventIndex].timestamp).toBe(drift.atTimestamp);
        expect(drift.kind === 'abrupt').toBe(drift.rampEvents === 0);
      }
    }
    const kinds = new Set(drifting.flatMap((id) => world.truth.users[id].drifts.map((d) => d.kind)));
    expect(kinds).toEqual(new Set(['abrupt', 'gradual']));
  });

  it('moves behaviour at each drift: the new topic gains and the old one loses, user by user', () => {
    for (const driftNumber of [0, 1]) {
      const toGains = shareGains(drifting, 'to', driftNumber);
      const fromGains = shareGains(drifting, 'from', driftNumber);
      expect(mean(toGains)).toBeGreaterThan(0.5);
      expect(mean(fromGains)).toBeLessThan(-0.4);
      expect(toGains.filter((gain) => gain > 0.2).length / toGains.length).toBeGreaterThan(0.9);
    }
  });

  it('keeps users without a drift steady across the two halves of their history', () => {
    const mainTopicChange = steady.map((userId) => {
      const shift = topicShareBeforeAfter(world, userId)!;
      const main = world.truth.users[userId].initialTopics[0].topic;
      return (shift.after[main] ?? 0) - (shift.before[main] ?? 0);
    });
    const largestGain = steady.map((userId) => {
      const shift = topicShareBeforeAfter(world, userId)!;
      return Math.max(...world.topics.map((t) => (shift.after[t] ?? 0) - (shift.before[t] ?? 0)));
    });
    expect(Math.abs(mean(mainTopicChange))).toBeLessThan(0.05);
    expect(mean(largestGain)).toBeLessThan(0.2);
    expect(mean(shareGains(drifting, 'to'))).toBeGreaterThan(3 * mean(largestGain));
  });

  it('has sequential signal: the usual follower of an item beats popularity by far', () => {
    const accuracy = nextItemAccuracy(world);
    expect(accuracy.sequential).toBeGreaterThan(0.2);
    expect(accuracy.sequential).toBeGreaterThan(5 * accuracy.popularity);
    const withoutSeries = nextItemAccuracy(generateWorld({ seriesContinuation: 0 }));
    expect(withoutSeries.sequential).toBeLessThan(accuracy.sequential / 2);
  });
});
