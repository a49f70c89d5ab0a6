import { Rng } from '../../core/random.js';
import type { Event, EventType } from '../../core/types.js';
import { buildCatalog, type Catalog } from './catalog.js';
import { parseWorldConfig, type WorldConfig, type WorldConfigInput } from './config.js';
import { buildContextRule, compileContextRule, type EventContext } from './context.js';
import { finalInterest, type InterestPlan, interestAt, planInterest } from './interests.js';
import { scheduleUser } from './sessions.js';
import { BUILTIN_TOPICS } from './topics.js';
import type { DriftTruth, TopicWeight, UserTruth, World } from './world.js';

/** Funnel: every event is a view; it goes on to click, cart and purchase with these probabilities. */
const FUNNEL = { click: 0.4, cartAfterClick: 0.3, purchaseAfterCart: 0.5 } as const;
/** Topics below this weight are left out of the recorded interest mixtures. */
const RECORDED_MIN_WEIGHT = 0.01;

/**
 * Generates a world with known ground truth: items in topics and series, users whose interest
 * drifts at recorded points, and their events. Deterministic given `config.seed`.
 * Throws TideError('CONFIG') when the config is invalid.
 *
 * @example
 * const world = generateWorld({ seed: 7, users: 100 });
 * const userId = world.events[0].userId;
 * world.truth.users[userId].drifts; // [{ atEventIndex: 23, from: 'jazz', to: 'gardening', ... }]
 */
export function generateWorld(input: WorldConfigInput = {}): World {
  const config = parseWorldConfig(input);
  const rng = new Rng(config.seed);
  const topicSpecs = BUILTIN_TOPICS.slice(0, config.topics);
  const topics = topicSpecs.map((topic) => topic.name);
  const catalog = buildCatalog(rng, topicSpecs, config);
  const contextRule = buildContextRule(topicSpecs, config.contextBoost);
  const contextMultipliers = compileContextRule(contextRule, topics);
  const parts: WorldParts = {
    catalog,
    topics,
    contextMultipliers,
    config,
    worldStartMs: Date.parse(config.startTime),
  };
  const idWidth = Math.max(4, String(config.users).length);

  const events: Event[] = [];
  const users: Record<string, UserTruth> = {};
  for (let u = 0; u < config.users; u++) {
    const userId = `u${String(u + 1).padStart(idWidth, '0')}`;
    const eventCount = rng.int(config.eventsPerUser.min, config.eventsPerUser.max);
    const plan = planInterest(rng, topics.length, eventCount, config);
    const userEvents = generateUserEvents(rng, userId, eventCount, plan, parts);
    for (const event of userEvents) events.push(event);
    users[userId] = userTruth(plan, userEvents, topics);
  }
  // Stable sort: equal timestamps keep user order, and each user's own order is kept.
  events.sort((a, b) => a.timestamp! - b.timestamp!);
  return {
    config,
    topics,
    items: catalog.items,
    events,
    truth: { users, contextRule, seriesContinuation: config.seriesContinuation },
  };
}

interface WorldParts {
  readonly catalog: Catalog;
  readonly topics: readonly string[];
  /** Writes each topic's context multiplier into `out`. */
  readonly contextMultipliers: (context: EventContext, out: Float64Array) => Float64Array;
  readonly config: WorldConfig;
  readonly worldStartMs: number;
}

/**
 * One user's events. For each: pick a topic from the current interest times the context boost (or,
 * with `noiseShare`, any topic at random);
 * then, with `seriesContinuation`, the next episode of the series last consumed in that topic,
 * otherwise an item of the topic by popularity. Never the same item twice in a row.
 */
function generateUserEvents(
  rng: Rng,
  userId: string,
  eventCount: number,
  plan: InterestPlan,
  parts: WorldParts,
): Event[] {
  const { catalog, topics, contextMultipliers, config } = parts;
  const moments = scheduleUser(rng, eventCount, parts.worldStartMs);
  const interest = new Float64Array(topics.length);
  const multipliers = new Float64Array(topics.length);
  const topicWeights = new Float64Array(topics.length);
  const lastItemInTopic = new Int32Array(topics.length).fill(-1);
  let previousItem = -1;
  const events: Event[] = [];
  for (let i = 0; i < eventCount; i++) {
    const { timestamp, context } = moments[i];
    interestAt(plan, i, interest);
    contextMultipliers(context, multipliers);
    for (let t = 0; t < topics.length; t++) topicWeights[t] = interest[t] * multipliers[t];
    // (no draw for noise when there is none: worlds without noise stay as they were)
    const noise = config.noiseShare > 0 && rng.chance(config.noiseShare);
    const topic = noise ? rng.below(topics.length) : rng.weightedIndex(topicWeights);
    const lastInTopic = lastItemInTopic[topic];
    const continued = lastInTopic >= 0 ? catalog.nextInSeries[lastInTopic] : -1;
    const item =
      continued >= 0 && continued !== previousItem && rng.chance(config.seriesContinuation)
        ? continued
        : popularItem(rng, catalog, topic, previousItem);
    lastItemInTopic[topic] = item;
    previousItem = item;
    const type = funnelStage(rng);
    const price = catalog.items[item].attributes?.price;
    const event: Event = { userId, itemId: catalog.items[item].itemId, type, timestamp, context };
    if ((type === 'cart' || type === 'purchase') && typeof price === 'number') event.value = price;
    events.push(event);
  }
  return events;
}

/** An item of `topic` drawn by popularity, other than `excluded`. */
function popularItem(rng: Rng, catalog: Catalog, topic: number, excluded: number): number {
  const members = catalog.itemsByTopic[topic];
  const cumulative = catalog.cumulativePopularityByTopic[topic];
  for (let attempt = 0; attempt < 32; attempt++) {
    const item = members[rng.cumulativeIndex(cumulative)];
    if (item !== excluded) return item;
  }
  // Only reached when `excluded` holds nearly all the popularity; every topic has >= 2 items.
  return members[0] === excluded ? members[1] : members[0];
}

function funnelStage(rng: Rng): EventType {
  if (!rng.chance(FUNNEL.click)) return 'view';
  if (!rng.chance(FUNNEL.cartAfterClick)) return 'click';
  return rng.chance(FUNNEL.purchaseAfterCart) ? 'purchase' : 'cart';
}

function userTruth(plan: InterestPlan, events: readonly Event[], topics: readonly string[]): UserTruth {
  return {
    initialTopics: recordedMixture(plan.initial, topics),
    finalTopics: recordedMixture(finalInterest(plan), topics),
    drifts: plan.drifts.map(
      (drift): DriftTruth => ({
        atEventIndex: drift.atEventIndex,
        atTimestamp: events[drift.atEventIndex].timestamp!,
        from: topics[drift.from],
        to: topics[drift.to],
        kind: drift.rampEvents === 0 ? 'abrupt' : 'gradual',
        rampEvents: drift.rampEvents,
      }),
    ),
    eventCount: events.length,
  };
}

function recordedMixture(interest: Float64Array, topics: readonly string[]): TopicWeight[] {
  const mixture: TopicWeight[] = [];
  interest.forEach((weight, t) => {
    if (weight >= RECORDED_MIN_WEIGHT)
      mixture.push({ topic: topics[t], weight: Math.round(weight * 1000) / 1000 });
  });
  return mixture.sort((a, b) => b.weight - a.weight);
}
