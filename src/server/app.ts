/**
 * The HTTP app: routes from one file per resource, each request authorised, then its path,
 * query and body validated by the route's zod schemas, then handled by the engine. Errors of every
 * kind become JSON `{ error: { code, message, field? } }` through errors.ts.
 */
import { readFileSync } from 'node:fs';
import { Hono } from 'hono';
import type { Engine } from '../engine/engine.js';
import type { Store } from '../storage/ports.js';
import { type ApiKey, KeyRing } from './auth.js';
import { readJsonBody } from './body.js';
import { registerDashboard } from './dashboard.js';
import { ApiError, errorResponse } from './errors.js';
import { EventBus } from './event-bus.js';
import { Metrics } from './metrics.js';
import { openApiDocument } from './openapi.js';
import { queryObject } from './query.js';
import { pathPattern, type Route, type RouteDeps } from './route.js';
import { eventRoutes } from './routes/events.js';
import { itemRoutes } from './routes/items.js';
import { recommendationRoutes } from './routes/recommendations.js';
import { systemRoutes } from './routes/system.js';
import { userRoutes } from './routes/users.js';
import { DEFAULT_LIMITS, type Limits, requestSchemas } from './schemas.js';
import { parseInput } from './validation.js';
import { WriteQueue } from './write-queue.js';

export interface AppOptions {
  engine: Engine;
  /** API keys with scopes; none (the default) leaves the API open. */
  auth?: KeyRing | readonly ApiKey[];
  limits?: Partial<Limits>;
  /** Shown by /healthz. */
  storeUrl?: string;
  /** Where 5xx details go (default stderr). */
  log?: (line: string) => void;
  /** With a store, the dashboard (its page at / and the routes it reads) is served too. */
  store?: Store;
  /** Where the built dashboard page is (default dist/web). */
  dashboardDir?: string;
  /** Ingested events are published here (the dashboard's live streams listen). */
  bus?: EventBus;
}

type AppEnv = { Variables: { route: string } };

/** A Hono app with the pieces the server and tests look at. */
export type TideApp = Hono<AppEnv> & { readonly keys: KeyRing; readonly routes: readonly Route[] };

const KNOWN_METHODS = new Set(['GET', 'HEAD', 'POST', 'PUT', 'DELETE', 'PATCH', 'OPTIONS']);

function version(): string {
  try {
    const url = new URL('../../package.json', import.meta.url);
    return (JSON.parse(readFileSync(url, 'utf8')) as { version: string }).version;
  } catch {
    return '0.0.0';
  }
}

/**
 * Builds the app; it needs no socket (`app.request()` in tests, `startServer` to listen).
 *
 * @example
 * const app = createApp({ engine, auth: parseApiKeys('k1:read,write'), storeUrl: store.url });
 * const res = await app.request('/users/u1/recommendations?k=5', { headers: { authorization: 'Bearer k1' } });
 */
export function createApp(options: AppOptions): TideApp {
  const { engine, log = (line) => process.stderr.write(line) } = options;
  const limits: Limits = { ...DEFAULT_LIMITS, ...options.limits };
  const keys = options.auth instanceof KeyRing ? options.auth : new KeyRing(options.auth);
  const metrics = new Metrics();
  let document: unknown;
  const bus = options.bus ?? new EventBus();
  const deps: RouteDeps = {
    engine,
    bus,
    limits,
    schemas: requestSchemas(limits),
    metrics,
    writeQueue: new WriteQueue(limits.maxQueuedEvents),
    storeUrl: options.storeUrl ?? null,
    startedAt: performance.now(),
    openApi: () => {
      document ??= openApiDocument(routes, { version: version(), limits });
      return document;
    },
  };
  const routes: Route[] = [
    ...eventRoutes(deps),
    ...itemRoutes(deps),
    ...userRoutes(deps),
    ...recommendationRoutes(deps),
    ...systemRoutes(deps),
  ];
  const app = new Hono<AppEnv>();
  app.use(async (c, next) => {
    const started = performance.now();
    await next();
    const method = KNOWN_METHODS.has(c.req.method) ? c.req.method : 'OTHER';
    metrics.observe(
      c.get('route') ?? 'unmatched',
      method,
      c.res.status,
      (performance.now() - started) / 1000,
    );
  });
  for (const route of routes) {
    app.on(route.method, route.path, async (c) => {
      c.set('route', route.path);
      keys.authorize(c.req.raw.headers, route.scope);
      const params = route.params ? parseInput(route.params, c.req.param()) : undefined;
      const search = queryObject(new URL(c.req.url));
      const unknown = route.query ? undefined : Object.keys(search)[0];
      if (unknown !== undefined) {
        throw new ApiError('INVALID_INPUT', `${unknown}: is not a known query parameter`, { field: unknown });
      }
      const query = route.query ? parseInput(route.query, search) : undefined;
      // refused before any work on the body: under a flood the refusals must stay cheap
      if (route.queued) deps.writeQueue.refuseWhenFull();
      let body: unknown;
      if (route.body) {
        const json = await readJsonBody(c.req.raw, limits.maxBodyBytes);
        checkBatch(json, route.batchField, limits.maxBatch);
        body = parseInput(route.body, json);
      }
      const reply = await route.handle({ params, query, body, headers: c.req.raw.headers });
      return reply instanceof Response ? reply : c.json(reply.body, reply.status, reply.headers);
    });
  }
  if (options.store) {
    const dashboard = { engine, store: options.store, bus, keys, log, staticDir: options.dashboardDir };
    routes.push(...registerDashboard(app, dashboard));
  }
  const patterns = routes.map((route) => ({ route, pattern: pathPattern(route.path) }));
  app.notFound((c) => {
    const path = c.req.path;
    const matching = patterns.filter(({ pattern }) => pattern.test(path));
    if (matching.length === 0)
      return errorResponse(new ApiError('NOT_FOUND', `no route ${c.req.method} ${path.slice(0, 200)}`), log);
    c.set('route', matching[0].route.path);
    const allowed: string[] = matching.map(({ route }) => route.method);
    if (allowed.includes('GET')) allowed.push('HEAD');
    const message = `${c.req.method.slice(0, 20)} is not allowed on ${matching[0].route.path}; use ${allowed.join(', ')}`;
    return errorResponse(
      new ApiError('METHOD_NOT_ALLOWED', message, { headers: { allow: allowed.join(', ') } }),
      log,
    );
  });
  app.onError((error) => errorResponse(error, log));
  return Object.assign(app, { keys, routes });
}

/** A batch over the limit is a 413 naming the field, before validation counts every entry. */
function checkBatch(json: unknown, field: string | undefined, maxBatch: number): void {
  if (field === undefined || typeof json !== 'object' || json === null) return;
  const batch = (json as Record<string, unknown>)[field];
  if (Array.isArray(batch) && batch.length > maxBatch) {
    throw new ApiError(
      'PAYLOAD_TOO_LARGE',
      `${field}: ${batch.length} entries, more than the limit of ${maxBatch}`,
      {
        field,
      },
    );
  }
}
