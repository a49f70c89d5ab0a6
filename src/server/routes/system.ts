/** GET /healthz, GET /metrics and GET /openapi.json. */
import { HealthResponse } from '../responses.js';
import { defineRoute, type Route, type RouteDeps } from '../route.js';

/**
 * The operational routes. /healthz and /openapi.json need no key; /metrics needs `read`.
 *
 * @example
 * // GET /healthz -> 200 {"status":"ok","modelId":"sasrec-1a2b3c4d5e6f","store":"sqlite:",...}
 */
export function systemRoutes({
  engine,
  metrics,
  writeQueue,
  storeUrl,
  startedAt,
  openApi,
}: RouteDeps): Route[] {
  return [
    defineRoute({
      method: 'GET',
      path: '/healthz',
      scope: null,
      tag: 'system',
      summary: 'Liveness, with the model and store served',
      responses: { 200: { description: 'Up', schema: HealthResponse } },
      handle: () => {
        const { cachedUsers, catalogItems } = engine.stats();
        const answer: HealthResponse = {
          status: 'ok',
          modelId: engine.model?.id ?? null,
          modelFamily: engine.model?.family ?? null,
          // the kind only: the path or host of the store is nobody's business without a key
          store: storeUrl === null ? null : storeUrl.slice(0, storeUrl.indexOf(':') + 1 || undefined),
          uptimeSeconds: Math.round((performance.now() - startedAt) / 10) / 100,
          catalogItems,
          cachedUsers,
        };
        return { status: 200, body: answer };
      },
    }),
    defineRoute({
      method: 'GET',
      path: '/metrics',
      scope: 'read',
      tag: 'system',
      summary: 'Prometheus metrics (text exposition format 0.0.4)',
      responses: { 200: { description: 'Metrics', contentType: 'text/plain; version=0.0.4' } },
      handle: () => {
        const stats = engine.stats();
        const memory = process.memoryUsage();
        const text = metrics.render([
          { name: 'tide_engine_cached_users', help: 'User states held in memory.', value: stats.cachedUsers },
          {
            name: 'tide_engine_evicted_users',
            help: 'User states dropped from memory by the cache budget (--max-cached-users).',
            value: stats.evictedUsers,
          },
          {
            name: 'tide_engine_catalog_items',
            help: 'Items the engine can recommend.',
            value: stats.catalogItems,
          },
          {
            name: 'tide_engine_indexed_items',
            help: 'Items in the candidate index of a large catalogue (0: every item is scored).',
            value: stats.indexedItems,
          },
          {
            name: 'tide_engine_dirty_states',
            help: 'States not yet written to the store.',
            value: stats.dirtyStates,
          },
          {
            name: 'tide_events_queued',
            help: 'Events admitted and waiting to be logged (at most the write queue bound).',
            value: writeQueue.queued,
          },
          {
            name: 'tide_event_writes_refused_total',
            help: 'POST /events requests refused with 503 because the write queue was full, since start.',
            value: writeQueue.refused,
            type: 'counter',
          },
          {
            name: 'tide_uptime_seconds',
            help: 'Seconds since the app was created.',
            value: (performance.now() - startedAt) / 1000,
          },
          { name: 'process_resident_memory_bytes', help: 'Resident set size.', value: memory.rss },
          { name: 'nodejs_heap_used_bytes', help: 'V8 heap in use.', value: memory.heapUsed },
        ]);
        return new Response(text, {
          headers: { 'content-type': 'text/plain; version=0.0.4; charset=utf-8' },
        });
      },
    }),
    defineRoute({
      method: 'GET',
      path: '/openapi.json',
      scope: null,
      tag: 'system',
      summary: 'This API as an OpenAPI 3.1 document',
      responses: { 200: { description: 'The document' } },
      handle: () => ({ status: 200, body: openApi() }),
    }),
  ];
}
