import { describe, expect, it } from 'vitest';
import { EVENT_TYPES } from '../../core/types.js';
import { contextMultiplier, type EventContext } from './context.js';
import { generateWorld } from './generate.js';
import { itemTopic, userEvents } from './truth.js';
import type { World } from './world.js';

const world = generateWorld();
const userIds = Object.keys(world.truth.users);

function shareOfFavouredTopics(of: World, device: 'tv' | 'not-tv'): number {
  const tvTopics = new Set(of.truth.contextRule.boosts.find((boost) => boost.device === 'tv')?.topics);
  const events = of.events.filter((e) => (e.context?.device === 'tv') === (device === 'tv'));
  return events.filter((e) => tvTopics.has(itemTopic(of, e.itemId) ?? '')).length / events.length;
}

describe('generateWorld', () => {
  it('gives the same world for the same seed and another world for another seed', () => {
    const small = { users: 40, items: 60, topics: 4 };
    const first = generateWorld({ ...small, seed: 3 });
    expect(generateWorld({ ...small, seed: 3 })).toEqual(first);
    const other = generateWorld({ ...small, seed: 4 });
    expect(other.events).not.toEqual(first.events);
    expect(other.items.map((item) => item.title)).not.toEqual(first.items.map((item) => item.title));
  });

  it('puts a share of events on random topics with noiseShare', () => {
    const onMainTopic = (world: World) => {
      let hits = 0;
      for (const event of world.events) {
        const main = world.truth.users[event.userId].initialTopics[0].topic;
        if (itemTopic(world, event.itemId) === main) hits++;
      }
      return hits / world.events.length;
    };
    const base = { users: 60, items: 80, seed: 9, driftProbability: 0 };
    const clean = generateWorld(base);
    const noisy = generateWorld({ ...base, noiseShare: 0.5 });
    expect(onMainTopic(noisy)).toBeLessThan(onMainTopic(clean) - 0.15);
  });

  it('follows the configured sizes', () => {
    const sized = generateWorld({ users: 25, items: 90, topics: 5, eventsPerUser: { min: 10, max: 12 } });
    expect(sized.items).toHaveLength(90);
    expect(sized.topics).toHaveLength(5);
    expect(Object.keys(sized.truth.users)).toHaveLength(25);
    expect(new Set(sized.events.map((e) => e.userId)).size).toBe(25);
    for (const [userId, truth] of Object.entries(sized.truth.users)) {
      expect(userEvents(sized, userId)).toHaveLength(truth.eventCount);
      expect(truth.eventCount).toBeGreaterThanOrEqual(10);
      expect(truth.eventCount).toBeLessThanOrEqual(12);
    }
    expect(sized.events.length).toBeGreaterThanOrEqual(250);
    expect(sized.events.length).toBeLessThanOrEqual(300);
  });

  it('spreads items evenly over the topics, one category each', () => {
    const perTopic = new Map<string, number>();
    for (const item of world.items) {
      expect(item.categories).toHaveLength(1);
      expect(world.topics).toContain(item.categories?.[0]);
      perTopic.set(item.categories![0], (perTopic.get(item.categories![0]) ?? 0) + 1);
    }
    expect([...perTopic.values()]).toEqual(new Array(world.topics.length).fill(400 / 8));
  });

  it('names users u0001.. and items i0001.., every event pointing at an existing item', () => {
    expect(userIds[0]).toBe('u0001');
    expect(userIds.at(-1)).toBe('u0600');
    expect(world.items[0].itemId).toBe('i0001');
    const itemIds = new Set(world.items.map((item) => item.itemId));
    expect(itemIds.size).toBe(world.items.length);
    expect(world.events.every((e) => itemIds.has(e.itemId))).toBe(true);
  });

  it('writes readable, mostly distinct titles and texts that name the topic', () => {
    const titles = world.items.map((item) => item.title ?? '');
    expect(new Set(titles).size / titles.length).toBeGreaterThan(0.95);
    for (const item of world.items) {
      expect(item.title).toMatch(/^[A-Z][A-Za-z'-]+( [A-Z][A-Za-z'-]+)+( \d+)?, [A-Z][a-z]+ \d+$/);
      expect(item.text).toMatch(/^[A-Z][^.]+ [a-z][^.]+\. [A-Z][a-z]+ \d+ of [^,]+, an? [a-z &]+\.$/);
      expect(item.text).toContain(item.categories![0]);
      expect(item.attributes).toMatchObject({ series: expect.any(String), episode: expect.any(Number) });
      expect(item.attributes?.price).toBeGreaterThan(0);
    }
  });

  it('orders timestamps globally and strictly within each user, from the start time on', () => {
    const start = Date.parse(world.config.startTime);
    const globalOrderBreaks = world.events.filter(
      (e, i) => i > 0 && e.timestamp! < world.events[i - 1].timestamp!,
    );
    expect(globalOrderBreaks).toEqual([]);
    for (const userId of userIds) {
      const times = userEvents(world, userId).map((e) => e.timestamp!);
      expect(times[0]).toBeGreaterThanOrEqual(start);
      expect(times.filter((t, i) => i > 0 && t <= times[i - 1])).toEqual([]);
    }
  });

  it('groups events into sessions minutes apart with gaps of hours or days between', () => {
    const gaps = userIds.flatMap((userId) => {
      const times = userEvents(world, userId).map((e) => e.timestamp!);
      return times.slice(1).map((t, i) => t - times[i]);
    });
    const withinSession = gaps.filter((gap) => gap <= 16 * 60_000).length / gaps.length;
    expect(withinSession).toBeGreaterThan(0.6);
    expect(gaps.filter((gap) => gap >= 3_600_000).length / gaps.length).toBeGreaterThan(0.1);
  });

  it('never repeats an item twice in a row for a user', () => {
    for (const userId of userIds) {
      const items = userEvents(world, userId).map((e) => e.itemId);
      expect(items.filter((item, i) => i > 0 && item === items[i - 1])).toEqual([]);
    }
  });

  it('draws event types from a funnel: mostly views and clicks, priced carts and purchases', () => {
    const counts = Object.fromEntries(EVENT_TYPES.map((type) => [type, 0]));
    for (const e of world.events) counts[e.type]++;
    const total = world.events.length;
    expect(counts.view / total).toBeGreaterThan(0.5);
    expect((counts.view + counts.click) / total).toBeGreaterThan(0.8);
    expect(counts.purchase).toBeGreaterThan(0);
    expect(counts.rating + counts.custom).toBe(0);
    const priced = world.events.filter((e) => e.value !== undefined);
    expect(priced.every((e) => e.type === 'cart' || e.type === 'purchase')).toBe(true);
    expect(priced).toHaveLength(counts.cart + counts.purchase);
  });

  it('gives every event a context whose hour is the UTC hour of its timestamp', () => {
    const wrong = world.events.filter((e) => {
      const context = e.context as EventContext;
      const deviceKnown = ['mobile', 'desktop', 'tv'].includes(context.device);
      return !deviceKnown || context.hour !== new Date(e.timestamp!).getUTCHours();
    });
    expect(wrong).toEqual([]);
    const devices = new Set(world.events.map((e) => e.context?.device));
    expect(devices.size).toBe(3);
  });

  it('lets context tilt topic choice as the recorded rule says', () => {
    const rule = world.truth.contextRule;
    expect(contextMultiplier(rule, 'jazz', { hour: 21, device: 'mobile' })).toBe(1.6);
    expect(contextMultiplier(rule, 'jazz', { hour: 9, device: 'mobile' })).toBe(1);
    expect(contextMultiplier(rule, 'football', { hour: 9, device: 'tv' })).toBe(1.6);
    const boosted = generateWorld({ contextBoost: 4 });
    const ignored = generateWorld({ contextBoost: 1 });
    const boostedLift = shareOfFavouredTopics(boosted, 'tv') / shareOfFavouredTopics(boosted, 'not-tv');
    const ignoredLift = shareOfFavouredTopics(ignored, 'tv') / shareOfFavouredTopics(ignored, 'not-tv');
    expect(boostedLift).toBeGreaterThan(1.2);
    expect(ignoredLift).toBeLessThan(1.1);
    expect(boostedLift).toBeGreaterThan(1.2 * ignoredLift);
    expect(shareOfFavouredTopics(world, 'tv')).toBeGreaterThan(shareOfFavouredTopics(world, 'not-tv'));
  });

  it.each([
    { topics: 1, items: 2, users: 5 },
    { eventsPerUser: { min: 2, max: 3 }, users: 20 },
    { maxDrifts: 5, driftProbability: 1, eventsPerUser: { min: 20, max: 20 }, users: 20 },
    { topics: 12, items: 3000, users: 10, popularitySkew: 0 },
  ])('copes with the edge config %j', (edge) => {
    const edgeWorld = generateWorld(edge);
    for (const userId of Object.keys(edgeWorld.truth.users)) {
      const events = userEvents(edgeWorld, userId);
      expect(events.filter((e, i) => i > 0 && e.itemId === events[i - 1].itemId)).toEqual([]);
      const drifts = edgeWorld.truth.users[userId].drifts;
      expect(drifts.every((d) => d.atEventIndex > 0 && d.atEventIndex < events.length)).toBe(true);
    }
    expect(new Set(edgeWorld.items.map((item) => item.title)).size).toBe(edgeWorld.items.length);
  });
});
