/**
 * The JSON routes the dashboard needs beside the public API: listing users, a user's timeline and
 * live event stream, the model served with its training history, and which users an item would be
 * recommended to. Routes as data, like the rest of the API, so they are documented and validated
 * the same way.
 */
import { z } from 'zod';
import type { Engine } from '../engine/engine.js';
import type { Store } from '../storage/ports.js';
import {
  AudienceResponse,
  EpochPoint,
  GateCheck,
  ModelResponse,
  UserEventsResponse,
  UserListResponse,
} from './dashboard-responses.js';
import { userEventStream } from './dashboard-stream.js';
import { ApiError } from './errors.js';
import type { EventBus } from './event-bus.js';
import { intParam } from './query.js';
import { defineRoute, type Route } from './route.js';
import { Id, shown } from './schemas.js';
import type { UserDirectory } from './user-directory.js';

export interface DashboardDeps {
  engine: Engine;
  store: Store;
  bus: EventBus;
  users: UserDirectory;
}

const UserParams = z.strictObject({ id: Id.describe('The user id') });
const ItemParams = z.strictObject({ id: Id.describe('The item id') });
const NoQuery = z.strictObject({});

const UsersQuery = z.strictObject({
  query: z.string().max(256).describe('Part of the user id, case-insensitive').optional(),
  limit: intParam(1, 500, 'How many users (default 50)').optional(),
});
const EventsQuery = z.strictObject({ limit: intParam(1, 500, 'How many events (default 50)').optional() });
const AudienceQuery = z.strictObject({
  k: intParam(1, 100, 'The top k a user must have the item in (default 10)').optional(),
  users: intParam(1, 200, 'How many recently active users to check (default 50)').optional(),
});

const TrainingReport = z.object({
  epochs: z.number().int().optional(),
  bestEpoch: z.number().int().optional(),
  stopped: z.string().optional(),
  seconds: z.number().optional(),
  history: z.array(EpochPoint).default([]),
});

/**
 * @example
 * const routes = dashboardRoutes({ engine, store, bus, users: new UserDirectory(store.events) });
 */
export function dashboardRoutes({ engine, store, bus, users }: DashboardDeps): Route[] {
  return [
    defineRoute({
      method: 'GET',
      path: '/users',
      scope: 'read',
      tag: 'dashboard',
      summary: 'Users in the event log, most recently active first',
      description:
        'Follows the log incrementally (the store has no user index); answers at most `limit` users.',
      query: UsersQuery,
      responses: { 200: { description: 'Matching users', schema: UserListResponse } },
      handle: async ({ query }) => {
        const answer: UserListResponse = await users.search(query.query ?? '', query.limit ?? 50);
        return { status: 200, body: answer };
      },
    }),
    defineRoute({
      method: 'GET',
      path: '/users/:id/events',
      scope: 'read',
      tag: 'dashboard',
      summary: "The user's latest events, newest first, with item titles",
      params: UserParams,
      query: EventsQuery,
      responses: { 200: { description: 'Events', schema: UserEventsResponse } },
      handle: async ({ params, query }) => {
        const logged = await store.events.readUser(params.id, { limit: query.limit ?? 50 });
        const ids = [...new Set(logged.map((e) => e.itemId))];
        const items = await Promise.all(ids.map((id) => store.items.get(id)));
        const titles = new Map(ids.map((id, n) => [id, items[n]?.title]));
        const answer: UserEventsResponse = {
          userId: params.id,
          events: logged.reverse().map(({ seq, itemId, type, timestamp, value }) => ({
            seq,
            itemId,
            type,
            timestamp,
            ...(titles.get(itemId) !== undefined && { title: titles.get(itemId) }),
            ...(value !== undefined && { value }),
          })),
        };
        return { status: 200, body: answer };
      },
    }),
    defineRoute({
      method: 'GET',
      path: '/users/:id/stream',
      scope: 'read',
      tag: 'dashboard',
      summary: "Server-Sent Events: the user's events as they are ingested",
      description:
        '`event: ready` on connect, then `event: event` with a JSON StreamEvent (id: the log seq) for each ' +
        'event ingested for the user, and a comment line every 15 s.',
      params: UserParams,
      query: NoQuery,
      responses: { 200: { description: 'The stream', contentType: 'text/event-stream' } },
      handle: ({ params }) => userEventStream(bus, params.id),
    }),
    defineRoute({
      method: 'GET',
      path: '/model',
      scope: 'read',
      tag: 'dashboard',
      summary: 'The model served: metrics and training history, beside the registered models',
      query: NoQuery,
      responses: { 200: { description: 'The model', schema: ModelResponse } },
      handle: async () => {
        const registered = (await store.models.list()).map(({ id, family, createdAt, active, metrics }) => ({
          id,
          family,
          createdAt,
          active,
          metrics,
        }));
        const answer: ModelResponse = { model: modelView(engine), registered };
        return { status: 200, body: answer };
      },
    }),
    defineRoute({
      method: 'GET',
      path: '/items/:id/audience',
      scope: 'read',
      tag: 'dashboard',
      summary: 'Which recently active users would be recommended the item',
      description:
        'Computes the top k of up to `users` most recently active users and answers those whose list holds the item.',
      params: ItemParams,
      query: AudienceQuery,
      responses: { 200: { description: 'The audience', schema: AudienceResponse } },
      handle: async ({ params, query }) => {
        if (!(await store.items.get(params.id)))
          throw new ApiError('NOT_FOUND', `item ${shown(params.id)} is not in the catalogue`, {
            field: 'id',
          });
        const k = query.k ?? 10;
        const sample = await users.recent(query.users ?? 50);
        const audience: AudienceResponse['users'] = [];
        for (const userId of sample) {
          const { items } = await engine.recommend(userId, { k, explain: false });
          const rank = items.findIndex((r) => r.itemId === params.id);
          if (rank >= 0) audience.push({ userId, rank: rank + 1, score: items[rank].score });
        }
        audience.sort((x, y) => x.rank - y.rank || y.score - x.score);
        const answer: AudienceResponse = { itemId: params.id, k, checked: sample.length, users: audience };
        return { status: 200, body: answer };
      },
    }),
  ];
}

function modelView(engine: Engine): ModelResponse['model'] {
  const model = engine.model;
  if (!model) return null;
  const { manifest } = model;
  const report = TrainingReport.safeParse(manifest.training.report);
  const gate = GateCheck.safeParse(manifest.training.gate);
  const { sequencesHash: _, ...dataset } = manifest.dataFingerprint;
  return {
    id: model.id,
    family: model.family,
    createdAt: manifest.createdAt,
    dataset,
    categories: model.categories?.length ?? 0,
    config: manifest.config,
    metrics: { ...model.metrics },
    training: {
      ...(report.success ? report.data : { history: [] }),
      ...(gate.success && { gate: gate.data }),
    },
  };
}
