/** POST /recommendations/query: items for a sentence, optionally blended with a user's behaviour. */
import { RecommendResponse } from '../responses.js';
import { defineRoute, type Route, type RouteDeps } from '../route.js';

/**
 * The text query route. A POST only because the query has a body: it changes nothing, so it needs
 * the `read` scope, not `write`.
 *
 * @example
 * // POST /recommendations/query {"text":"space operas, but lighter","k":5} -> 200 { items: [...] }
 */
export function recommendationRoutes({ engine, schemas }: RouteDeps): Route[] {
  return [
    defineRoute({
      method: 'POST',
      path: '/recommendations/query',
      scope: 'read',
      tag: 'recommendations',
      summary: 'Recommend items for a text query',
      description:
        'Ranks items by the similarity of their text to the query, blended with the user’s behaviour when ' +
        '`userId` is given. Needs a text encoder (tide serve --encoder use-lite): 501 CONFIG without one.',
      body: schemas.textQuery,
      responses: {
        200: { description: 'Ranked items with reasons', schema: RecommendResponse },
        501: { description: 'No text encoder is configured' },
      },
      handle: async ({ body }) => {
        const { text, ...options } = body;
        const answer: RecommendResponse = await engine.recommendForText(text, options);
        return { status: 200, body: answer };
      },
    }),
  ];
}
