import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ServedApp, servedApp } from '../../test/fixtures/server-app.js';
import { type RunningServer, startServer } from '../server/server.js';
import { CLIENT_ROUTES, TideApiError, TideClient } from './index.js';

let served: ServedApp;
let server: RunningServer;
let tide: TideClient;

beforeAll(async () => {
  served = await servedApp({ histories: 5 });
  server = await startServer({ engine: served.engine, store: served.store, port: 0, log: () => undefined });
  tide = new TideClient({ baseUrl: server.url });
}, 180_000);

afterAll(async () => {
  await server?.close();
  await served?.close();
});

describe('TideClient against a running server', () => {
  it('covers every route of /openapi.json, the dashboard’s too', async () => {
    const { paths } = await tide.openApi();
    const operations = Object.entries(paths).flatMap(([route, methods]) =>
      Object.keys(methods).map((method) => `${method.toUpperCase()} ${route}`),
    );
    expect([...operations].sort()).toEqual([...CLIENT_ROUTES].sort());
  });

  it('answers every call with the server’s own types, and errors as TideApiError naming the field', async () => {
    const [itemId] = served.data.catalog.keys();
    const appended = await tide.postEvents([
      { userId: 'client-user', itemId, type: 'click', timestamp: Date.now() },
    ]);
    expect(appended).toMatchObject({ accepted: 1, replayed: false });
    const keyed = await tide.postEvents(
      { userId: 'client-user', itemId, type: 'view' },
      { idempotencyKey: 'k-1' },
    );
    expect(
      (await tide.postEvents({ userId: 'client-user', itemId, type: 'view' }, { idempotencyKey: 'k-1' }))
        .replayed,
    ).toBe(true);
    expect(keyed.replayed).toBe(false);
    expect(await tide.putItem('client-item', { title: 'A new item', categories: ['fresh'] })).toEqual({
      upserted: 1,
    });
    expect(await tide.putItems([{ itemId: 'client-item-2' }, { itemId: 'client-item-3' }])).toEqual({
      upserted: 2,
    });

    const answer = await tide.recommend('client-user', {
      k: 4,
      context: { hour: 21, device: 'mobile' },
      diversity: 0.5,
      filter: { exclude: ['client-item'] },
      excludeSeen: ['click', 'view'],
      at: new Date().toISOString(),
    });
    expect(answer.items).toHaveLength(4);
    expect(answer.items.map((item) => item.itemId)).not.toContain(itemId);
    expect(answer.items.map((item) => item.itemId)).not.toContain('client-item');
    expect((await tide.interests('client-user', { history: 5 })).events).toBe(2);
    expect((await tide.health()).status).toBe('ok');
    expect(await tide.metrics()).toMatch(/^tide_events_ingested_total 2$/m);

    // no text encoder on this server: a 501 CONFIG, not retried
    await expect(tide.recommendForText('space operas')).rejects.toMatchObject({
      status: 501,
      code: 'CONFIG',
    });
    const bad = await tide.recommend('client-user', { k: 0 }).catch((error: unknown) => error);
    expect(bad).toBeInstanceOf(TideApiError);
    expect(bad).toMatchObject({ status: 400, code: 'INVALID_INPUT', field: 'k' });
    expect(await tide.deleteUser('client-user')).toMatchObject({ userId: 'client-user', events: 2 });
  });

  it('reads what the dashboard reads: the model, users, a user’s events, an item’s audience', async () => {
    const [itemId] = served.data.catalog.keys();
    await tide.postEvents([
      { userId: 'dash-user', itemId, type: 'view' },
      { userId: 'dash-user', itemId, type: 'click' },
    ]);
    const { model } = await tide.model();
    expect(model?.id).toBe(served.engine.model?.id);
    const { users } = await tide.users({ query: 'DASH-', limit: 5 });
    expect(users.map((u) => u.userId)).toEqual(['dash-user']);
    const { events } = await tide.userEvents('dash-user', { limit: 1 });
    expect(events.map((e) => e.type)).toEqual(['click']);
    const audience = await tide.audience(itemId, { k: 100, users: 10 });
    expect(audience).toMatchObject({ itemId, k: 100 });
    expect(tide.streamUrl('a b')).toBe(`${server.url}/users/a%20b/stream`);
    await expect(tide.audience('no-such-item')).rejects.toMatchObject({ status: 404, field: 'id' });
  });

  it('asks a key function before every call, and stops at once when its signal aborts', async () => {
    let key: string | null = null;
    const seen: (string | null)[] = [];
    const client = new TideClient({
      baseUrl: server.url,
      apiKey: () => key,
      fetch: (input, init) => {
        seen.push(new Headers(init?.headers).get('authorization'));
        return fetch(input, init);
      },
    });
    await client.health();
    key = 'k-2';
    await client.health();
    expect(seen).toEqual([null, 'Bearer k-2']);
    const controller = new AbortController();
    controller.abort();
    const aborted = await client.recommend('u', {}, { signal: controller.signal }).catch((e: unknown) => e);
    expect((aborted as Error).name).toBe('AbortError');
    expect(seen).toHaveLength(3);
  });
});

describe('TideClient retries', () => {
  it('waits as Retry-After says on 503, backs off on 429, resends under one Idempotency-Key, and gives up after its retries', async () => {
    const seen: { method?: string; key?: string | string[] }[] = [];
    const answers = [
      { status: 503, headers: { 'retry-after': '2' } },
      { status: 429, headers: {} },
      { status: 201, headers: {}, body: { accepted: 1, firstSeq: 7, lastSeq: 7, replayed: false } },
    ];
    const fake = createServer((req: IncomingMessage, res) => {
      seen.push({ method: req.method, key: req.headers['idempotency-key'] });
      req.resume();
      const next = answers.shift() ?? { status: 503, headers: { 'retry-after': '1' } };
      res.writeHead(next.status, { 'content-type': 'application/json', ...next.headers });
      res.end(
        JSON.stringify('body' in next ? next.body : { error: { code: 'OVERLOADED', message: 'full' } }),
      );
    });
    await new Promise<void>((resolve) => fake.listen(0, '127.0.0.1', resolve));
    const waits: number[] = [];
    const client = new TideClient({
      baseUrl: `http://127.0.0.1:${(fake.address() as AddressInfo).port}/`,
      sleep: async (ms) => void waits.push(ms),
    });
    const result = await client.postEvents({ userId: 'u', itemId: 'i', type: 'click' });
    expect(result.firstSeq).toBe(7);
    expect(waits).toEqual([2000, 400]);
    expect(new Set(seen.map((s) => s.key)).size).toBe(1);
    expect(seen[0].key).toMatch(/^tide-client-[0-9a-f]{32}$/);

    waits.length = 0;
    const error = await client.health().catch((e: unknown) => e);
    expect(error).toMatchObject({ status: 503, code: 'OVERLOADED' });
    expect(waits).toEqual([1000, 1000, 1000]);
    await new Promise((resolve) => fake.close(resolve));
  });
});
