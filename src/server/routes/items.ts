/** PUT /items/:id and POST /items: catalogue upserts, recommendable at once. */
import { z } from 'zod';
import type { Item } from '../../core/types.js';
import { UpsertResponse } from '../responses.js';
import { defineRoute, type Route, type RouteDeps } from '../route.js';
import { Id, ItemFields } from '../schemas.js';

const ItemParams = z.strictObject({ id: Id.describe('The item id') });

/**
 * The item routes.
 *
 * @example
 * // PUT /items/42 {"title":"Alien","categories":["Sci-Fi"]} -> 200 {"upserted":1}
 */
export function itemRoutes({ engine, schemas, limits }: RouteDeps): Route[] {
  return [
    defineRoute({
      method: 'PUT',
      path: '/items/:id',
      scope: 'write',
      tag: 'items',
      summary: 'Add or replace one item',
      description: 'The whole item is replaced; the id comes from the path.',
      params: ItemParams,
      body: ItemFields.describe('The item, without its id'),
      responses: { 200: { description: 'Stored', schema: UpsertResponse } },
      handle: async ({ params, body }) => {
        const item: Item = { itemId: params.id, ...body };
        await engine.upsertItems([item]);
        return { status: 200, body: { upserted: 1 } };
      },
    }),
    defineRoute({
      method: 'POST',
      path: '/items',
      scope: 'write',
      tag: 'items',
      summary: 'Add or replace items in a batch',
      description: `\`{"items": [...]}\` with up to ${limits.maxBatch} items; each replaces any item with its id.`,
      body: schemas.itemBatch,
      batchField: 'items',
      responses: { 200: { description: 'Stored', schema: UpsertResponse } },
      handle: async ({ body }) => {
        await engine.upsertItems(body.items);
        return { status: 200, body: { upserted: body.items.length } };
      },
    }),
  ];
}
