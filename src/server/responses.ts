/**
 * Schemas of the JSON answers, for the OpenAPI document. Handlers assign the engine's results to
 * these types (`const body: RecommendResponse = await engine.recommend(...)`), so a change to the
 * engine's types that the document does not follow fails to compile.
 */
import { z } from 'zod';
import { EVENT_TYPES } from '../core/types.js';

export const ErrorResponse = z
  .object({
    error: z.object({
      code: z.string().describe('INVALID_INPUT, UNAUTHORIZED, FORBIDDEN, NOT_FOUND, PAYLOAD_TOO_LARGE, ...'),
      message: z
        .string()
        .describe('What is wrong, naming the field, e.g. `events[3].type: "clik" is not one of ...`'),
      field: z.string().optional().describe('The first field at fault, e.g. `events[3].type`'),
    }),
  })
  .describe('Every error answer');

export const AppendResponse = z.object({
  accepted: z.number().int().describe('Events in the batch'),
  firstSeq: z.number().int().describe('Log sequence number of the first event (0 for an empty batch)'),
  lastSeq: z.number().int(),
  replayed: z.boolean().describe('True when the Idempotency-Key was seen before: nothing was appended again'),
});
export type AppendResponse = z.infer<typeof AppendResponse>;

export const UpsertResponse = z.object({ upserted: z.number().int() });

const Reason = z.discriminatedUnion('kind', [
  z.object({
    kind: z.literal('recent-item'),
    itemId: z.string(),
    title: z.string().optional(),
    similarity: z.number(),
  }),
  z.object({ kind: z.literal('facet'), facet: z.number(), label: z.string(), weight: z.number() }),
  z.object({
    kind: z.literal('short-long'),
    shortTermShare: z.number(),
    a: z.number().describe('Deprecated: the same as shortTermShare'),
  }),
  z.object({ kind: z.literal('text'), similarity: z.number(), share: z.number() }),
  z.object({ kind: z.literal('popular'), events: z.number() }),
  z.object({ kind: z.literal('cold-item'), neighbours: z.array(z.string()) }),
]);

export const RecommendResponse = z.object({
  userId: z.string().nullable(),
  items: z.array(
    z.object({
      itemId: z.string(),
      title: z.string().optional(),
      categories: z.array(z.string()).optional(),
      score: z.number(),
      reasons: z.array(Reason).describe('Why the item was recommended (empty with explain=false)'),
    }),
  ),
  modelId: z.string().nullable().describe('The model that answered; null = popularity or text only'),
  shortTermShare: z
    .number()
    .optional()
    .describe('Short-term share a of the user vector, when the model has a fused gate that passed its check'),
  a: z.number().optional().describe('Deprecated: the same as shortTermShare'),
  trendShare: z
    .number()
    .optional()
    .describe(
      "Share of the model's scores that came from what is popular now, when the model has a time head",
    ),
  textWeight: z.number(),
  events: z.number().int().describe('Events known for the user'),
});
export type RecommendResponse = z.infer<typeof RecommendResponse>;

const Share = z.object({ name: z.string(), probability: z.number() });

export const InterestsResponse = z.object({
  userId: z.string(),
  events: z.number().int(),
  lastEventAt: z.number().nullable(),
  shortTermShare: z.number().optional(),
  a: z.number().optional().describe('Deprecated: the same as shortTermShare'),
  facets: z.array(
    z.object({
      label: z.string(),
      weight: z.number(),
      categories: z.array(Share),
      /** The state after the latest events (a facets model on a SASRec), not an interest of its own. */
      latest: z.boolean(),
    }),
  ),
  categories: z
    .array(Share)
    .describe(
      "P(category | user) now, strongest first: the current segment of the user's interest, found by change-point detection over their events' categories with the model's next-item distribution as its prior",
    ),
  history: z.array(
    z.object({
      at: z.number(),
      seq: z.number(),
      shortTermShare: z.number().optional(),
      a: z.number().optional().describe('Deprecated: the same as shortTermShare'),
      categories: z.record(z.string(), z.number()),
    }),
  ),
  recentItems: z.array(
    z.object({ itemId: z.string(), title: z.string().optional(), type: z.enum(EVENT_TYPES), at: z.number() }),
  ),
});
export type InterestsResponse = z.infer<typeof InterestsResponse>;

export const DeletionResponse = z.object({
  userId: z.string(),
  events: z.number().int(),
  states: z.number().int(),
  snapshots: z.number().int(),
});
export type DeletionResponse = z.infer<typeof DeletionResponse>;

export const HealthResponse = z.object({
  status: z.literal('ok'),
  modelId: z.string().nullable(),
  modelFamily: z.string().nullable(),
  store: z.string().nullable().describe('The kind of store (its URL scheme, e.g. "sqlite:"), not its path'),
  uptimeSeconds: z.number(),
  catalogItems: z.number().int(),
  cachedUsers: z.number().int(),
});
export type HealthResponse = z.infer<typeof HealthResponse>;
