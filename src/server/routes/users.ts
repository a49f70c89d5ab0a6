/** A user's recommendations and interests, and deleting everything held about them. */
import { z } from 'zod';
import { InterestsQuery, recommendationQuery } from '../query.js';
import { DeletionResponse, InterestsResponse, RecommendResponse } from '../responses.js';
import { defineRoute, type Route, type RouteDeps } from '../route.js';
import { Id } from '../schemas.js';

const UserParams = z.strictObject({ id: Id.describe('The user id') });

/**
 * The user routes.
 *
 * @example
 * // GET /users/u1/recommendations?k=5&filter=category:Drama,-category:Horror&exclude_seen=view,click
 */
export function userRoutes({ engine, limits, bus }: RouteDeps): Route[] {
  return [
    defineRoute({
      method: 'GET',
      path: '/users/:id/recommendations',
      scope: 'read',
      tag: 'users',
      summary: "The user's top items, with reasons",
      description:
        'Scored from the user’s state at the moment of the request (every acknowledged event included). ' +
        'A user with no events gets popular items (modelId null). Unknown query parameters are rejected.',
      params: UserParams,
      query: recommendationQuery(limits.maxK),
      responses: { 200: { description: 'Ranked items', schema: RecommendResponse } },
      handle: async ({ params, query }) => {
        const answer: RecommendResponse = await engine.recommend(params.id, {
          k: query.k,
          context: query.context,
          filters: query.filter,
          diversity: query.diversity,
          excludeSeen: query.exclude_seen,
          explain: query.explain === undefined ? undefined : query.explain === 'true',
          now: query.at,
        });
        return { status: 200, body: answer };
      },
    }),
    defineRoute({
      method: 'GET',
      path: '/users/:id/interests',
      scope: 'read',
      tag: 'users',
      summary: "The user's interests now and over time",
      params: UserParams,
      query: InterestsQuery,
      responses: { 200: { description: 'Facets, category shares and history', schema: InterestsResponse } },
      handle: async ({ params, query }) => {
        const answer: InterestsResponse = await engine.interests(params.id, query.history);
        return { status: 200, body: answer };
      },
    }),
    defineRoute({
      method: 'DELETE',
      path: '/users/:id',
      scope: 'admin',
      tag: 'users',
      summary: 'Delete everything held about a user',
      description:
        'Events, states and interest snapshots, in one transaction. Deleting an unknown user reports zeros.',
      params: UserParams,
      responses: { 200: { description: 'What was deleted', schema: DeletionResponse } },
      handle: async ({ params }) => {
        const report = await engine.deleteUser(params.id);
        bus.publishDeletion(params.id);
        const answer: DeletionResponse = { userId: params.id, ...report };
        return { status: 200, body: answer };
      },
    }),
  ];
}
