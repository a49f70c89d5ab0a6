import { z } from 'zod';
import { validate } from '../../core/validate.js';
import { BUILTIN_TOPICS } from './topics.js';

const probability = z.number().min(0).max(1);

/**
 * Everything that shapes a synthetic world. Every field has a default, so `{}` is a full config.
 *
 * @example
 * const config = WorldConfig.parse({ users: 50, eventsPerUser: { max: 40 } });
 */
export const WorldConfig = z
  .strictObject({
    /** Same seed, same world, on every machine. */
    seed: z.number().int().min(0).max(0xffffffff).default(42),
    users: z.number().int().positive().max(1_000_000).default(600),
    items: z.number().int().positive().max(1_000_000).default(400),
    /** How many built-in topics the world uses (the first n of BUILTIN_TOPICS). */
    topics: z.number().int().min(1).max(BUILTIN_TOPICS.length).default(8),
    /** Each user's history length is drawn uniformly from [min, max]. */
    eventsPerUser: z
      .strictObject({
        min: z.number().int().min(2).default(20),
        max: z.number().int().min(2).max(100_000).default(80),
      })
      .refine((range) => range.min <= range.max, { message: 'min must not exceed max' })
      .prefault({}),
    /** Share of users whose main interest moves to another topic during their history. */
    driftProbability: probability.default(0.7),
    /** A drifting user drifts 1..maxDrifts times (fewer when the history is too short). */
    maxDrifts: z.number().int().min(0).max(5).default(2),
    /** Share of drifts spread over a few events; the rest are abrupt. */
    gradualDriftShare: probability.default(0.5),
    /** Time of the earliest possible event, ISO 8601 with an offset. */
    startTime: z.iso.datetime({ offset: true }).default('2026-01-01T00:00:00Z'),
    /** Zipf exponent of item popularity within a topic (0 = uniform). */
    popularitySkew: z.number().min(0).max(5).default(1),
    /** Probability of going on to the next item of the series last consumed in the chosen topic. */
    seriesContinuation: probability.default(0.6),
    /** Multiplier on a topic's weight when the event's context favours it (1 = context ignored). */
    contextBoost: z.number().min(1).max(10).default(1.6),
    /** Share of events on a topic drawn uniformly at random, whatever the user's interest (noise). */
    noiseShare: probability.default(0),
  })
  .refine((config) => config.items >= 2 * config.topics, {
    message: 'must be at least twice the number of topics (each topic needs two items)',
    path: ['items'],
  });

export type WorldConfig = z.infer<typeof WorldConfig>;
/** What callers may pass: any subset, nested fields included. */
export type WorldConfigInput = z.input<typeof WorldConfig>;

/**
 * Validates a config and fills in defaults; throws a TideError('CONFIG') naming every bad field.
 *
 * @example
 * parseWorldConfig({ users: 0 }); // throws "synthetic world config: users: Too small: expected number to be >0"
 */
export function parseWorldConfig(input: WorldConfigInput = {}): WorldConfig {
  return validate(WorldConfig, input, 'synthetic world config');
}
