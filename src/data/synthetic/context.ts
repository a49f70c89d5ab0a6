import type { Context } from '../../core/types.js';
import type { FavouredContext, TopicSpec } from './topics.js';

export const DEVICES = ['mobile', 'desktop', 'tv'] as const;
export type Device = (typeof DEVICES)[number];

/** The context every synthetic event carries: UTC hour of its timestamp and the device. */
export interface EventContext extends Context {
  hour: number;
  device: Device;
}

/** One part of the context rule: matching events multiply the listed topics' weights by `factor`. */
export interface ContextBoost {
  /** Readable form, e.g. `evening (hours 18-23 UTC): jazz, true crime x1.6`. */
  readonly description: string;
  readonly device?: Device;
  /** Inclusive UTC hour range. */
  readonly hours?: readonly [number, number];
  readonly topics: readonly string[];
  readonly factor: number;
}

/** How context influenced topic choice when the world was generated (recorded in the ground truth). */
export interface ContextRule {
  readonly boosts: readonly ContextBoost[];
}

const WINDOWS: Record<FavouredContext, { label: string; device?: Device; hours?: [number, number] }> = {
  morning: { label: 'morning (hours 6-10 UTC)', hours: [6, 10] },
  evening: { label: 'evening (hours 18-23 UTC)', hours: [18, 23] },
  tv: { label: 'on a tv', device: 'tv' },
};

/**
 * The rule for a world's topics: each topic's `favoured` context boosts it by `factor`.
 *
 * @example
 * buildContextRule(BUILTIN_TOPICS.slice(0, 8), 1.6).boosts[0].description;
 */
export function buildContextRule(topics: readonly TopicSpec[], factor: number): ContextRule {
  const boosts: ContextBoost[] = [];
  for (const favoured of Object.keys(WINDOWS) as FavouredContext[]) {
    const names = topics.filter((topic) => topic.favoured === favoured).map((topic) => topic.name);
    if (names.length === 0) continue;
    const { label, device, hours } = WINDOWS[favoured];
    boosts.push({
      description: `${label}: ${names.join(', ')} x${factor}`,
      device,
      hours,
      topics: names,
      factor,
    });
  }
  return { boosts };
}

/**
 * How much the rule multiplies `topic`'s weight in `context` (1 when no boost applies).
 *
 * @example
 * contextMultiplier(world.truth.contextRule, 'jazz', { hour: 21, device: 'mobile' }); // 1.6
 */
export function contextMultiplier(rule: ContextRule, topic: string, context: EventContext): number {
  let multiplier = 1;
  for (const boost of rule.boosts) {
    if (boost.topics.includes(topic) && boostApplies(boost, context)) multiplier *= boost.factor;
  }
  return multiplier;
}

/**
 * `contextMultiplier` for every topic at once, for the generator's inner loop: the returned function
 * writes the multiplier of `topics[t]` into `out[t]`.
 */
export function compileContextRule(
  rule: ContextRule,
  topics: readonly string[],
): (context: EventContext, out: Float64Array) => Float64Array {
  const topicIndexesByBoost = rule.boosts.map((boost) => boost.topics.map((name) => topics.indexOf(name)));
  return (context, out) => {
    out.fill(1);
    rule.boosts.forEach((boost, b) => {
      if (!boostApplies(boost, context)) return;
      for (const t of topicIndexesByBoost[b]) if (t >= 0) out[t] *= boost.factor;
    });
    return out;
  };
}

function boostApplies(boost: ContextBoost, context: EventContext): boolean {
  if (boost.device !== undefined && boost.device !== context.device) return false;
  return boost.hours === undefined || (context.hour >= boost.hours[0] && context.hour <= boost.hours[1]);
}
