import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ServedApp, servedApp } from '../../test/fixtures/server-app.js';
import { EVENT_TYPES } from '../core/types.js';

let served: ServedApp;
type Json = Record<string, unknown>;

beforeAll(async () => {
  served = await servedApp({ histories: 5, limits: { maxK: 200 } });
}, 180_000);

afterAll(async () => {
  await served?.close();
});

/** Every `$ref` in a document, to check that each resolves. */
function refs(node: unknown, out: string[] = []): string[] {
  if (Array.isArray(node)) for (const x of node) refs(x, out);
  else if (node && typeof node === 'object') {
    for (const [key, value] of Object.entries(node)) {
      if (key === '$ref' && typeof value === 'string') out.push(value);
      else refs(value, out);
    }
  }
  return out;
}

describe('GET /openapi.json', () => {
  it('is an OpenAPI 3.1 document with every route, its parameters and its schemas', async () => {
    const res = await served.app.request('/openapi.json');
    expect(res.status).toBe(200);
    const doc = (await res.json()) as Json & { paths: Record<string, Record<string, Json>> };
    expect(doc.openapi).toBe('3.1.0');
    expect(doc.info).toMatchObject({ title: expect.any(String), version: expect.any(String) });
    for (const route of served.app.routes) {
      const path = route.path.replace(/:(\w+)/g, '{$1}');
      const operation = doc.paths[path]?.[route.method.toLowerCase()];
      expect(operation, `${route.method} ${path}`).toBeDefined();
      expect(Object.keys(operation.responses as Json).length).toBeGreaterThan(1);
      const declared = (operation.parameters as { name: string; in: string }[]).filter(
        (p) => p.in === 'path',
      );
      for (const name of path.match(/\{(\w+)\}/g) ?? []) {
        expect(declared.map((p) => `{${p.name}}`)).toContain(name);
      }
      if (route.body) expect((operation.requestBody as Json).required).toBe(true);
    }
    const count = Object.values(doc.paths).reduce((n, ops) => n + Object.keys(ops).length, 0);
    expect(count).toBe(served.app.routes.length);
    for (const ref of refs(doc)) {
      const target = ref
        .replace(/^#\//, '')
        .split('/')
        .reduce<unknown>((node, key) => (node as Json)?.[key], doc);
      expect(target, ref).toBeDefined();
    }
  });

  it('documents the request rules the validation applies (same schemas)', async () => {
    const doc = (await (await served.app.request('/openapi.json')).json()) as {
      paths: Record<
        string,
        Record<
          string,
          { parameters: { name: string; schema: Json; description?: string }[]; requestBody: Json }
        >
      >;
    };
    const recommend = doc.paths['/users/{id}/recommendations'].get;
    const names = recommend.parameters.map((p) => p.name);
    expect(names).toEqual(
      expect.arrayContaining(['id', 'k', 'context', 'filter', 'diversity', 'exclude_seen', 'explain']),
    );
    const filter = recommend.parameters.find((p) => p.name === 'filter')!;
    expect(filter.description).toMatch(/category:<name>, -category:<name>, attr\.<name>:<value>/);
    const k = recommend.parameters.find((p) => p.name === 'k')!;
    expect(k.description).toContain('[1, 200]'); // the configured maxK
    const body = JSON.stringify(doc.paths['/events'].post.requestBody);
    expect(body).toContain(JSON.stringify([...EVENT_TYPES]));
    expect(body).toContain('"additionalProperties":false');
    expect(body).toContain('"maxItems":1000');
  });
});

describe('GET /metrics', () => {
  const SAMPLE =
    /^([a-zA-Z_:][a-zA-Z0-9_:]*)(\{(?:[a-zA-Z_][a-zA-Z0-9_]*="(?:[^"\\\n]|\\["\\n])*",?)*\})? (-?\d+(?:\.\d+)?(?:e[+-]?\d+)?|NaN|[+-]Inf)$/;

  async function metrics(): Promise<Map<string, number>> {
    const res = await served.app.request('/metrics');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/plain; version=0\.0\.4/);
    const samples = new Map<string, number>();
    for (const line of (await res.text()).split('\n')) {
      if (line === '' || line.startsWith('# HELP ') || line.startsWith('# TYPE ')) continue;
      const match = SAMPLE.exec(line);
      expect(match, line).not.toBeNull();
      samples.set(`${match![1]}${match![2] ?? ''}`, Number(match![3]));
    }
    return samples;
  }

  it('parses as Prometheus text and counts requests, latencies and ingested events', async () => {
    for (let n = 0; n < 3; n++) await served.app.request('/users/user-1/recommendations?k=3');
    await served.app.request('/users/user-1/recommendations?k=0');
    const events = {
      events: [
        { userId: 'm1', itemId: 'x', type: 'view' },
        { userId: 'm1', itemId: 'y', type: 'view' },
      ],
    };
    const posted = await served.app.request('/events', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(events),
    });
    expect(posted.status).toBe(201);
    const samples = await metrics();
    const route = 'route="/users/:id/recommendations",method="GET"';
    expect(samples.get(`tide_http_requests_total{${route},status="200"}`)).toBe(3);
    expect(samples.get(`tide_http_requests_total{${route},status="400"}`)).toBe(1);
    expect(samples.get(`tide_http_request_duration_seconds_count{${route}}`)).toBe(4);
    expect(samples.get(`tide_http_request_duration_seconds_bucket{${route},le="+Inf"}`)).toBe(4);
    const buckets = [...samples].filter(([name]) =>
      name.startsWith(`tide_http_request_duration_seconds_bucket{${route}`),
    );
    const counts = buckets.map(([, value]) => value);
    expect(counts).toEqual([...counts].sort((a, b) => a - b));
    expect(samples.get('tide_events_ingested_total')).toBe(2);
    expect(samples.get('tide_engine_catalog_items')).toBe(served.engine.stats().catalogItems);
    expect(samples.get('tide_engine_indexed_items')).toBe(0); // a small catalogue is scored whole
    expect(samples.get('tide_engine_cached_users')).toBeGreaterThanOrEqual(2);
    await served.app.request('/no/such/route');
    expect(
      (await metrics()).get('tide_http_requests_total{route="unmatched",method="GET",status="404"}'),
    ).toBe(1);
  });
});

describe('server errors', () => {
  it('answers 503 with a generic message once the engine is closed, logging the detail', async () => {
    await served.engine.close();
    const res = await served.app.request('/users/user-1/recommendations');
    expect(res.status).toBe(503);
    const body = (await res.json()) as { error: { code: string; message: string } };
    expect(body.error).toEqual({ code: 'STORAGE', message: 'the store is unavailable; retry later' });
    expect(JSON.stringify(body)).not.toMatch(/at |\.ts:/);
    expect(served.logs.join('')).toMatch(/503 STORAGE: .*the engine is closed/);
  });
});
