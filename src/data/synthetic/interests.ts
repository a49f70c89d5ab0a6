import type { Rng } from '../../core/random.js';
import type { WorldConfig } from './config.js';

/** Dirichlet concentrations: interests sit mostly on one topic, sometimes with a second one. */
const PRIMARY_ALPHA = 10;
const SECONDARY_ALPHA = 4;
const BACKGROUND_ALPHA = 0.15;
const SECONDARY_TOPIC_PROBABILITY = 0.5;
/** Share of the old main topic's weight that moves to the new topic at a drift. */
const DRIFT_MOVED_SHARE = 0.9;
/** A drift target is a topic the user barely cared about. */
const NEW_TOPIC_MAX_WEIGHT = 0.1;
/** Each stretch between drifts holds at least this many events; shorter histories drift less. */
const MIN_EVENTS_PER_STRETCH = 6;
const GRADUAL_RAMP = { min: 3, max: 8 } as const;

/** A planned drift, over topic indices. */
export interface DriftPlan {
  readonly atEventIndex: number;
  readonly rampEvents: number;
  readonly from: number;
  readonly to: number;
  readonly before: Float64Array;
  readonly after: Float64Array;
}

/** A user's interest over topics through their history. */
export interface InterestPlan {
  readonly initial: Float64Array;
  readonly drifts: readonly DriftPlan[];
}

/** Draws a user's initial interest and, with `config.driftProbability`, 1..maxDrifts drifts. */
export function planInterest(
  rng: Rng,
  topicCount: number,
  eventCount: number,
  config: WorldConfig,
): InterestPlan {
  const initial = drawInitialInterest(rng, topicCount);
  const drifts: DriftPlan[] = [];
  if (topicCount < 2 || config.maxDrifts === 0 || !rng.chance(config.driftProbability)) {
    return { initial, drifts };
  }
  let driftCount = rng.int(1, config.maxDrifts);
  while (driftCount > 0 && eventCount / (driftCount + 1) < MIN_EVENTS_PER_STRETCH) driftCount--;
  const stretch = eventCount / (driftCount + 1);
  const maxRamp = Math.min(GRADUAL_RAMP.max, Math.floor(stretch / 3));
  let current = initial;
  for (let j = 0; j < driftCount; j++) {
    const atEventIndex = Math.floor(stretch * (j + 1) + (rng.next() - 0.5) * stretch * 0.5);
    const gradual = rng.chance(config.gradualDriftShare) && maxRamp >= GRADUAL_RAMP.min;
    const rampEvents = gradual ? rng.int(GRADUAL_RAMP.min, maxRamp) : 0;
    const from = argmax(current);
    const to = pickNewTopic(rng, current, from);
    const after = Float64Array.from(current);
    const moved = current[from] * DRIFT_MOVED_SHARE;
    after[from] -= moved;
    after[to] += moved;
    drifts.push({ atEventIndex, rampEvents, from, to, before: current, after });
    current = after;
  }
  return { initial, drifts };
}

/**
 * The interest in force at `eventIndex`, written into `out`: the latest drift's `after`, or a
 * linear blend from `before` to `after` while its ramp lasts.
 */
export function interestAt(plan: InterestPlan, eventIndex: number, out: Float64Array): Float64Array {
  let drift: DriftPlan | undefined;
  for (const candidate of plan.drifts) if (candidate.atEventIndex <= eventIndex) drift = candidate;
  if (drift === undefined) {
    out.set(plan.initial);
    return out;
  }
  const progress = Math.min(1, (eventIndex - drift.atEventIndex + 1) / (drift.rampEvents + 1));
  for (let t = 0; t < out.length; t++) out[t] = drift.before[t] * (1 - progress) + drift.after[t] * progress;
  return out;
}

/** The interest after the last drift. */
export function finalInterest(plan: InterestPlan): Float64Array {
  return plan.drifts.length === 0 ? plan.initial : plan.drifts[plan.drifts.length - 1].after;
}

function drawInitialInterest(rng: Rng, topicCount: number): Float64Array {
  const alphas = new Array<number>(topicCount).fill(BACKGROUND_ALPHA);
  const primary = rng.int(0, topicCount - 1);
  alphas[primary] = PRIMARY_ALPHA;
  if (topicCount > 1 && rng.chance(SECONDARY_TOPIC_PROBABILITY)) {
    const secondary = (primary + rng.int(1, topicCount - 1)) % topicCount;
    alphas[secondary] = SECONDARY_ALPHA;
  }
  return Float64Array.from(rng.dirichlet(alphas));
}

/** A topic other than `from`, preferably one with little weight so the drift is to something new. */
function pickNewTopic(rng: Rng, interest: Float64Array, from: number): number {
  const others: number[] = [];
  for (let t = 0; t < interest.length; t++) if (t !== from) others.push(t);
  const fresh = others.filter((t) => interest[t] < NEW_TOPIC_MAX_WEIGHT);
  if (fresh.length > 0) return rng.pick(fresh);
  return others.reduce((best, t) => (interest[t] < interest[best] ? t : best));
}

function argmax(values: Float64Array): number {
  let best = 0;
  for (let i = 1; i < values.length; i++) if (values[i] > values[best]) best = i;
  return best;
}
