/**
 * GET /users/:id/stream: Server-Sent Events for one user. A `ready` message on connect, then one
 * `event` message per event ingested for the user (data: a StreamEvent, id: its log seq), and a
 * comment line every `heartbeatMs` so proxies keep the connection open. Closing the connection
 * unsubscribes.
 */
import { SSEStreamingApi } from 'hono/streaming';
import type { UserId } from '../core/types.js';
import type { StreamEvent } from './dashboard-responses.js';
import type { EventBus, PublishedEvent } from './event-bus.js';

const HEADERS = {
  'content-type': 'text/event-stream',
  'cache-control': 'no-cache',
  connection: 'keep-alive',
  // no buffering in nginx-like proxies, or events arrive in bursts
  'x-accel-buffering': 'no',
};

/**
 * The streaming response. It is built on Hono's SSE writer directly (what `streamSSE` wraps)
 * because route handlers answer a Response without a Hono context.
 *
 * @example
 * return userEventStream(bus, 'u1'); // text/event-stream until the client goes away
 */
export function userEventStream(bus: EventBus, userId: UserId, heartbeatMs = 15_000): Response {
  const { readable, writable } = new TransformStream<Uint8Array, Uint8Array>();
  const stream = new SSEStreamingApi(writable, readable);
  // writes are chained so messages keep their order even when events arrive in a burst
  let writing: Promise<unknown> = stream.writeSSE({
    event: 'ready',
    data: JSON.stringify({ type: 'ready', userId }),
    retry: 2000,
  });
  const send = (write: () => Promise<unknown>) => {
    writing = writing.then(write, write);
  };
  const stop = bus.subscribe(userId, (event: PublishedEvent) => {
    const message: StreamEvent = {
      type: 'event',
      userId: event.userId,
      itemId: event.itemId,
      eventType: event.type,
      seq: event.seq,
      timestamp: event.timestamp,
    };
    send(() => stream.writeSSE({ event: 'event', data: JSON.stringify(message), id: String(event.seq) }));
  });
  const heartbeat = setInterval(() => send(() => stream.write(': ping\n\n')), heartbeatMs);
  heartbeat.unref();
  stream.onAbort(() => {
    clearInterval(heartbeat);
    stop();
  });
  return new Response(stream.responseReadable, { headers: HEADERS });
}
