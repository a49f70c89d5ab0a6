/**
 * The dashboard: its JSON routes (dashboard-routes.ts), its live event stream, and the built page
 * (dashboard-assets.ts), registered on a Hono app. Each route is authorised with the app's keys and
 * validated with its zod schemas as createApp does; errors answer the API's JSON error body.
 */
import type { Env, Hono } from 'hono';
import type { Engine } from '../engine/engine.js';
import type { Store } from '../storage/ports.js';
import { KeyRing } from './auth.js';
import { DEFAULT_DASHBOARD_DIR, serveDashboardAssets } from './dashboard-assets.js';
import { dashboardRoutes } from './dashboard-routes.js';
import { errorResponse } from './errors.js';
import type { EventBus } from './event-bus.js';
import { queryObject } from './query.js';
import type { Route } from './route.js';
import { UserDirectory } from './user-directory.js';
import { parseInput } from './validation.js';

export { DEFAULT_DASHBOARD_DIR } from './dashboard-assets.js';
export { EventBus, type PublishedEvent } from './event-bus.js';

export interface DashboardOptions {
  engine: Engine;
  /** The engine's store: the event log (users, timelines) and the model registry. */
  store: Store;
  /** Where POST /events publishes ingested events; the user streams subscribe to it. */
  bus: EventBus;
  /** The built page (default: dist/web, where `npm run build:web` writes it). */
  staticDir?: string;
  /** The app's API keys (createApp's `app.keys`); none leaves the routes open. */
  keys?: KeyRing;
  /** Where 5xx details go (default stderr). */
  log?: (line: string) => void;
}

/**
 * Registers the dashboard routes and the page; returns the routes (for the OpenAPI document).
 * Call it after the API routes are registered and before the first request.
 *
 * @example
 * const bus = new EventBus();
 * const app = createApp({ engine });
 * registerDashboard(app, { engine, store, bus, keys: app.keys });
 * // in POST /events, once engine.ingest resolved: bus.publish(events, result)
 */
export function registerDashboard<E extends Env>(app: Hono<E>, options: DashboardOptions): Route[] {
  const { engine, store, bus, keys = new KeyRing() } = options;
  const log = options.log ?? ((line: string) => process.stderr.write(line));
  const users = new UserDirectory(store.events);
  bus.onDeletion((userId) => users.forget(userId));
  // build the user list now, so the first page load does not wait for a scan of the whole log
  users.refresh().catch(() => undefined);
  const routes = dashboardRoutes({ engine, store, bus, users });
  for (const route of routes) {
    app.on(route.method, route.path, async (c) => {
      try {
        keys.authorize(c.req.raw.headers, route.scope);
        const params = route.params ? parseInput(route.params, c.req.param()) : undefined;
        const query = route.query ? parseInput(route.query, queryObject(new URL(c.req.url))) : undefined;
        const reply = await route.handle({ params, query, body: undefined, headers: c.req.raw.headers });
        return reply instanceof Response ? reply : c.json(reply.body, reply.status, reply.headers);
      } catch (error) {
        return errorResponse(error, log);
      }
    });
  }
  serveDashboardAssets(app, options.staticDir ?? DEFAULT_DASHBOARD_DIR);
  return routes;
}
