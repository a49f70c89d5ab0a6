/**
 * Synthetic worlds with known ground truth, for `tide demo` and for tests that check models follow
 * interest drift.
 *
 * @example
 * import { generateWorld, topicShareBeforeAfter, worldSource } from './data/synthetic/index.js';
 * const world = generateWorld({ seed: 1 });
 * const source = worldSource(world);
 */

export { cumulativeSums, Rng, zipfWeights } from '../../core/random.js';
export { parseWorldConfig, WorldConfig, type WorldConfigInput } from './config.js';
export {
  type ContextBoost,
  type ContextRule,
  contextMultiplier,
  DEVICES,
  type Device,
  type EventContext,
} from './context.js';
export { generateWorld } from './generate.js';
export { type WorldFiles, type WorldSourceOptions, worldSource, writeWorld } from './source.js';
export { BUILTIN_TOPICS, type FavouredContext, type TopicSpec } from './topics.js';
export { itemTopic, type TopicShift, topicShareBeforeAfter, topicShares, userEvents } from './truth.js';
export type { DriftTruth, GroundTruth, TopicWeight, UserTruth, World } from './world.js';
