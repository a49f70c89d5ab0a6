/**
 * Schemas of the dashboard routes' JSON answers (for the OpenAPI document); the dashboard in web/
 * imports the inferred types, so a change here that the page does not follow fails to compile.
 */
import { z } from 'zod';
import { EVENT_TYPES } from '../core/types.js';

export const UserListResponse = z.object({
  users: z.array(
    z.object({
      userId: z.string(),
      events: z.number().int(),
      lastEventAt: z.number().describe('Time of the last event (ms)'),
    }),
  ),
  total: z.number().int().describe('Users matching the query'),
});
export type UserListResponse = z.infer<typeof UserListResponse>;

export const UserEventsResponse = z.object({
  userId: z.string(),
  events: z
    .array(
      z.object({
        seq: z.number().int(),
        itemId: z.string(),
        title: z.string().optional(),
        type: z.enum(EVENT_TYPES),
        timestamp: z.number(),
        value: z.number().optional(),
      }),
    )
    .describe('Newest first'),
});
export type UserEventsResponse = z.infer<typeof UserEventsResponse>;

const Figures = z.record(z.string(), z.number());

export const EpochPoint = z.object({
  epoch: z.number().int(),
  loss: z.number(),
  seconds: z.number().optional(),
  validation: Figures.optional(),
});

export const GateCheck = z.object({
  mean: z.number(),
  p10: z.number(),
  p50: z.number(),
  p90: z.number(),
  ndcgLearned: z.number().describe('Validation NDCG@10 with a as learned'),
  ndcgFixed: z.number().describe('Validation NDCG@10 with a held at its mean'),
  cases: z.number().int(),
  kept: z.boolean().describe('False: a is folded into its mean and not reported'),
});

export const ModelResponse = z.object({
  model: z
    .object({
      id: z.string(),
      family: z.string(),
      createdAt: z.string(),
      dataset: z.object({ dataset: z.string(), users: z.number(), items: z.number(), events: z.number() }),
      categories: z
        .number()
        .int()
        .describe('Categories the model knows (its category head has one output each; 0 without one)'),
      config: z.record(z.string(), z.unknown()),
      metrics: Figures.describe('Validation figures at the chosen epoch'),
      training: z.object({
        epochs: z.number().int().optional(),
        bestEpoch: z.number().int().optional(),
        stopped: z.string().optional(),
        seconds: z.number().optional(),
        history: z.array(EpochPoint).describe('Per epoch: mean loss and validation figures'),
        gate: GateCheck.optional().describe("The fused model's gate check, when it had one"),
      }),
    })
    .nullable()
    .describe('The model served; null when the engine serves popularity only'),
  registered: z
    .array(
      z.object({
        id: z.string(),
        family: z.string(),
        createdAt: z.number(),
        active: z.boolean(),
        metrics: Figures,
      }),
    )
    .describe('Every model registered in the store, with its metrics, to compare against'),
});
export type ModelResponse = z.infer<typeof ModelResponse>;

export const AudienceResponse = z.object({
  itemId: z.string(),
  k: z.number().int(),
  checked: z.number().int().describe('Recently active users whose top k were computed'),
  users: z
    .array(z.object({ userId: z.string(), rank: z.number().int(), score: z.number() }))
    .describe('Users with the item in their top k, best rank first'),
});
export type AudienceResponse = z.infer<typeof AudienceResponse>;

/** The data of one `event` message of GET /users/:id/stream. */
export const StreamEvent = z.object({
  type: z.literal('event'),
  userId: z.string(),
  itemId: z.string(),
  eventType: z.enum(EVENT_TYPES),
  seq: z.number().int(),
  timestamp: z.number(),
});
export type StreamEvent = z.infer<typeof StreamEvent>;
