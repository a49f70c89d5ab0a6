import { mkdir, mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { type ServedApp, servedApp, worldUserEvents } from '../../test/fixtures/server-app.js';
import { createApp } from './app.js';
import { KeyRing } from './auth.js';
import { registerDashboard } from './dashboard.js';
import type {
  AudienceResponse,
  ModelResponse,
  UserEventsResponse,
  UserListResponse,
} from './dashboard-responses.js';
import { EventBus } from './event-bus.js';

let served: ServedApp;
let bus: EventBus;

async function get<T>(path: string, headers: Record<string, string> = {}) {
  const res = await served.app.request(path, { headers });
  return { status: res.status, headers: res.headers, body: (await res.json()) as T };
}

beforeAll(async () => {
  bus = new EventBus();
  served = await servedApp({ histories: 12, bus });
  const staticDir = await mkdtemp(join(tmpdir(), 'tide-web-'));
  await mkdir(join(staticDir, 'assets'));
  await writeFile(join(staticDir, 'index.html'), '<!doctype html><title>Tide</title>');
  await writeFile(join(staticDir, 'assets', 'index-abc123.js'), 'console.log(1);');
  registerDashboard(served.app, { engine: served.engine, store: served.store, bus, staticDir });
}, 180_000);

afterAll(async () => {
  await served?.close();
});

describe('dashboard routes', () => {
  it('lists users most recently active first, with event counts, and searches ids', async () => {
    const all = await get<UserListResponse>('/users?limit=5');
    expect(all.status).toBe(200);
    expect(all.body.total).toBe(12);
    expect(all.body.users.map((u) => u.userId)).toEqual(['user-11', 'user-10', 'user-9', 'user-8', 'user-7']);
    expect(all.body.users[0].events).toBe(worldUserEvents(served.data, 11).length);
    const found = await get<UserListResponse>('/users?query=USER-1');
    expect(found.body.users.map((u) => u.userId)).toEqual(['user-1', 'user-11', 'user-10']);
  });

  it('follows the log: new users appear, deleted users go', async () => {
    await served.engine.ingest([{ userId: 'fresh-user', itemId: served.data.itemIds.idOf(0), type: 'view' }]);
    expect((await get<UserListResponse>('/users?limit=1')).body.users[0].userId).toBe('fresh-user');
    await served.engine.deleteUser('fresh-user');
    const after = await get<UserListResponse>('/users?query=fresh');
    expect(after.body.total).toBe(0);
  });

  it('drops a user deleted through the API at once, even when other events follow before the next look', async () => {
    // the API and the dashboard on one app share its event bus, as `tide serve` has them
    const app = createApp({ engine: served.engine, store: served.store, storeUrl: served.store.url });
    const list = async () => (await (await app.request('/users?query=leaving')).json()) as UserListResponse;
    await served.engine.ingest([
      { userId: 'leaving-user', itemId: served.data.itemIds.idOf(0), type: 'view' },
    ]);
    expect((await list()).total).toBe(1);
    expect((await app.request('/users/leaving-user', { method: 'DELETE' })).status).toBe(200);
    // the log is longer than before the deletion: the count alone cannot tell that a user left
    const other = (n: number) => ({
      userId: 'staying-user',
      itemId: served.data.itemIds.idOf(n),
      type: 'view' as const,
    });
    await served.engine.ingest([other(1), other(2)]);
    expect((await list()).total).toBe(0);
  });

  it("answers a user's latest events newest first, with titles", async () => {
    const { status, body } = await get<UserEventsResponse>('/users/user-2/events?limit=4');
    expect(status).toBe(200);
    const sent = worldUserEvents(served.data, 2).slice(-4).reverse();
    expect(body.events.map((e) => e.itemId)).toEqual(sent.map((e) => e.itemId));
    expect(body.events[0].seq).toBeGreaterThan(body.events[1].seq);
    expect(body.events[0].title).toBe(served.data.catalog.get(sent[0].itemId)?.title);
  });

  it('describes the model with its training history and the registered models', async () => {
    const { body } = await get<ModelResponse>('/model');
    expect(body.model).toMatchObject({ id: served.model.id, family: 'sasrec', categories: 8 });
    expect(body.model?.training.history).toHaveLength(6);
    expect(body.model?.training.history[0].loss).toBeGreaterThan(0);
    expect(body.model?.dataset.users).toBe(300);
    expect(body.registered).toEqual([]);
  });

  it('finds the users whose top k holds an item, and 404s an unknown item', async () => {
    const top = await served.engine.recommend('user-5', { k: 3 });
    const itemId = top.items[0].itemId;
    const { status, body } = await get<AudienceResponse>(`/items/${itemId}/audience?k=3&users=12`);
    expect(status).toBe(200);
    expect(body.checked).toBe(12);
    expect(body.users).toContainEqual(expect.objectContaining({ userId: 'user-5', rank: 1 }));
    expect(body.users.every((u) => u.rank >= 1 && u.rank <= 3)).toBe(true);
    const missing = await get<{ error: { code: string } }>('/items/no-such-item/audience');
    expect(missing.status).toBe(404);
    expect(missing.body.error.code).toBe('NOT_FOUND');
  });

  it('rejects unknown and malformed query parameters, naming them', async () => {
    const unknown = await get<{ error: { message: string } }>('/users?limt=3');
    expect(unknown.status).toBe(400);
    expect(unknown.body.error.message).toMatch(/limt/);
    expect((await get('/users/user-1/events?limit=0')).status).toBe(400);
  });
});

describe('user event stream', () => {
  it('announces ready, then each published event of the user only, and unsubscribes on close', async () => {
    const res = await served.app.request('/users/user-3/stream');
    expect(res.headers.get('content-type')).toBe('text/event-stream');
    const reader = res.body!.getReader();
    const decoder = new TextDecoder();
    let text = '';
    const until = async (needle: string) => {
      while (!text.includes(needle)) text += decoder.decode((await reader.read()).value);
    };
    await until('event: ready');
    expect(bus.listeners('user-3')).toBe(1);
    const events = [
      { userId: 'user-4', itemId: served.data.itemIds.idOf(1), type: 'click' as const },
      { userId: 'user-3', itemId: served.data.itemIds.idOf(2), type: 'click' as const },
    ];
    const result = await served.engine.ingest(events);
    bus.publish(events, result);
    await until('event: event');
    await until('\n\n');
    const data = text
      .split('event: event\n')[1]
      .split('\n')[0]
      .replace(/^data: /, '');
    expect(JSON.parse(data)).toMatchObject({
      type: 'event',
      userId: 'user-3',
      itemId: events[1].itemId,
      eventType: 'click',
      seq: result.firstSeq + 1,
    });
    expect(text).not.toContain('user-4');
    await reader.cancel();
    await new Promise((resolve) => setTimeout(resolve, 10));
    expect(bus.listeners('user-3')).toBe(0);
  });
});

describe('events announced to the streams', () => {
  it('carry the time the log holds, stamped by the engine when the client sent none', async () => {
    const seen: { seq: number; timestamp: number }[] = [];
    const stop = bus.subscribe('user-5', (event) => void seen.push(event));
    // every reading of the clock a millisecond later: a time taken anywhere but at ingest shows
    let clock = Date.now();
    const now = vi.spyOn(Date, 'now').mockImplementation(() => ++clock);
    try {
      const res = await served.app.request('/events', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ userId: 'user-5', itemId: served.data.itemIds.idOf(3), type: 'view' }),
      });
      expect(res.status).toBe(201);
    } finally {
      now.mockRestore();
      stop();
    }
    expect(seen).toHaveLength(1);
    const [logged] = await served.store.events.scan(seen[0].seq - 1, 1);
    expect(seen[0].timestamp).toBe(logged.timestamp);
  });
});

describe('dashboard page', () => {
  it('serves the page and its assets with their types, and falls back to the page for navigation', async () => {
    const page = await served.app.request('/');
    expect(page.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(page.headers.get('content-security-policy')).toContain("default-src 'self'");
    expect(await page.text()).toContain('<title>Tide</title>');
    const script = await served.app.request('/assets/index-abc123.js');
    expect(script.headers.get('content-type')).toBe('text/javascript; charset=utf-8');
    expect(script.headers.get('cache-control')).toContain('immutable');
    const deep = await served.app.request('/model-page', { headers: { accept: 'text/html' } });
    expect(await deep.text()).toContain('<title>Tide</title>');
  });

  it('keeps JSON 404s for API clients and refuses paths outside the assets', async () => {
    const api = await served.app.request('/users/u1/nothing', { headers: { accept: 'application/json' } });
    expect(api.status).toBe(404);
    expect(((await api.json()) as { error: { code: string } }).error.code).toBe('NOT_FOUND');
    for (const path of ['/assets/..%2Findex.html', '/assets/.hidden', '/assets/missing.js']) {
      expect((await served.app.request(path)).status).toBe(404);
    }
  });
});

describe('dashboard with API keys', () => {
  it('asks for a key on the JSON routes but serves the page without one', async () => {
    const keys = new KeyRing([{ key: 'reader', scopes: ['read'] }]);
    const { Hono } = await import('hono');
    const app = new Hono();
    registerDashboard(app, { engine: served.engine, store: served.store, bus, keys, staticDir: tmpdir() });
    expect((await app.request('/users')).status).toBe(401);
    const ok = await app.request('/users?limit=1', { headers: { authorization: 'Bearer reader' } });
    expect(ok.status).toBe(200);
    const page = await app.request('/');
    expect(page.status).toBe(503);
    expect(await page.text()).toMatch(/npm run build:web/);
  });
});
