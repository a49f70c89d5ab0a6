/** POST /events: one event or a batch, appended atomically and folded into users' states at once. */
import { z } from 'zod';
import type { Event } from '../../core/types.js';
import { ApiError } from '../errors.js';
import { AppendResponse } from '../responses.js';
import { defineRoute, type Route, type RouteDeps } from '../route.js';

/** Idempotency keys: printable ASCII, as HTTP header values are. */
const IdempotencyKey = z
  .string()
  .regex(/^[\x21-\x7e]{1,255}$/, { error: 'must be 1 to 255 printable ASCII characters' })
  .describe('Retrying a batch with the same key appends nothing and answers the first result');

/**
 * The event routes.
 *
 * @example
 * // POST /events {"userId":"u1","itemId":"42","type":"click"} -> 201 {"accepted":1,"firstSeq":7,"lastSeq":7,"replayed":false}
 */
export function eventRoutes({ engine, bus, schemas, metrics, limits, writeQueue }: RouteDeps): Route[] {
  return [
    defineRoute({
      method: 'POST',
      path: '/events',
      scope: 'write',
      tag: 'events',
      summary: 'Log behaviour events',
      description:
        `One event object, or \`{"events": [...]}\` with up to ${limits.maxBatch} events, appended atomically. ` +
        'The answer comes once the events are durable and folded into their users’ states, so the next ' +
        'recommendation reflects them. 201 when appended, 200 when the Idempotency-Key was seen before ' +
        '(nothing appended; the first result is answered, whatever this body holds). When more than ' +
        `${limits.maxQueuedEvents} events are already waiting to be logged, 503 OVERLOADED with Retry-After ` +
        'at once: retry then.',
      body: schemas.events,
      batchField: 'events',
      queued: true,
      headerDocs: [
        { name: 'Idempotency-Key', description: IdempotencyKey.description ?? '', schema: IdempotencyKey },
      ],
      responses: {
        201: { description: 'Appended', schema: AppendResponse },
        200: { description: 'Replayed: this Idempotency-Key was seen before', schema: AppendResponse },
        503: { description: 'The write queue is full (OVERLOADED; retry after Retry-After seconds)' },
      },
      handle: async ({ body, headers }) => {
        const events: Event[] = 'events' in body ? body.events : [body];
        const key = headers.get('idempotency-key');
        const idempotencyKey = key === null ? undefined : IdempotencyKey.safeParse(key);
        if (idempotencyKey && !idempotencyKey.success) {
          throw new ApiError(
            'INVALID_INPUT',
            'Idempotency-Key: must be 1 to 255 printable ASCII characters',
            {
              field: 'Idempotency-Key',
            },
          );
        }
        const result = await writeQueue.run(events.length, () =>
          engine.ingest(events, { idempotencyKey: idempotencyKey?.data }),
        );
        bus.publish(result.logged, result);
        metrics.ingested(result.count, result.replayed);
        const answer: AppendResponse = {
          accepted: result.count,
          firstSeq: result.firstSeq,
          lastSeq: result.lastSeq,
          replayed: result.replayed,
        };
        return { status: result.replayed ? 200 : 201, body: answer };
      },
    }),
  ];
}
