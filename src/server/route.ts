/**
 * A route as data: method, path, scope, the zod schemas of its path parameters, query and body,
 * and its handler. The app checks auth and validates everything before the handler runs, and the
 * OpenAPI document is generated from the same objects.
 */
import type { z } from 'zod';
import type { Engine } from '../engine/engine.js';
import type { Scope } from './auth.js';
import type { EventBus } from './event-bus.js';
import type { Metrics } from './metrics.js';
import type { Limits, RequestSchemas } from './schemas.js';
import type { WriteQueue } from './write-queue.js';

export type Method = 'GET' | 'POST' | 'PUT' | 'DELETE';

/** What a handler returns: a JSON body with its status, or a ready Response (text formats). */
export type Reply = { status: 200 | 201; body: unknown; headers?: Record<string, string> } | Response;

/** One documented response of a route (errors are documented for every route by the app). */
export interface ResponseDoc {
  description: string;
  schema?: z.ZodType;
  /** Default `application/json`. */
  contentType?: string;
}

export interface RouteInput<P, Q, B> {
  params: P;
  query: Q;
  body: B;
  headers: Headers;
}

export interface RouteSpec<P, Q, B> {
  method: Method;
  /** Hono syntax: `/users/:id/recommendations`. */
  path: string;
  /** null: no key needed. */
  scope: Scope | null;
  summary: string;
  description?: string;
  tag: string;
  params?: z.ZodType<P>;
  query?: z.ZodType<Q>;
  body?: z.ZodType<B>;
  /** The array field of a batch body; over `limits.maxBatch` entries is a 413, not a 400. */
  batchField?: string;
  /** Refused before its body is read while the write queue is full (the handler counts it in). */
  queued?: boolean;
  /** Request headers the route reads, for the document. */
  headerDocs?: { name: string; description: string; schema: z.ZodType }[];
  responses: Record<number, ResponseDoc>;
  handle(input: RouteInput<P, Q, B>): Promise<Reply> | Reply;
}

/** A route with its input types erased, as the app holds them. */
export type Route = RouteSpec<unknown, unknown, unknown>;

/** What route files build their routes from. */
export interface RouteDeps {
  engine: Engine;
  /** Where ingested events are published for live listeners. */
  bus: EventBus;
  limits: Limits;
  schemas: RequestSchemas;
  metrics: Metrics;
  /** The bound on events waiting to be logged. */
  writeQueue: WriteQueue;
  /** Store URL and start time, for /healthz. */
  storeUrl: string | null;
  startedAt: number;
  /** The OpenAPI document (built lazily: it lists the routes, this one included). */
  openApi: () => unknown;
}

/**
 * Checks a route's handler against its schemas, then erases the types. Safe because the app runs
 * the handler only with input those schemas produced.
 *
 * @example
 * defineRoute({ method: 'GET', path: '/healthz', scope: null, tag: 'system', summary: 'Liveness',
 *   responses: { 200: { description: 'Up' } }, handle: () => ({ status: 200, body: { status: 'ok' } }) });
 */
export function defineRoute<P = undefined, Q = undefined, B = undefined>(spec: RouteSpec<P, Q, B>): Route {
  return spec as unknown as Route;
}

/**
 * Matches concrete paths against a route path (for 405 answers).
 *
 * @example
 * pathPattern('/users/:id').test('/users/u1'); // true
 */
export function pathPattern(path: string): RegExp {
  const source = path
    .split('/')
    .map((part) => (part.startsWith(':') ? '[^/]+' : part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')))
    .join('/');
  return new RegExp(`^${source}$`);
}
