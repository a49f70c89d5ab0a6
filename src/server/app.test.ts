import { request } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ServedApp, servedApp, worldUserEvents } from '../../test/fixtures/server-app.js';
import { createTextEncoder } from '../text/encoder.js';
import { itemText } from '../text/item-text.js';
import { startServer } from './server.js';

let served: ServedApp;

/** A request to the app, answering status and parsed JSON body. */
async function call(
  path: string,
  init: { method?: string; body?: unknown; headers?: Record<string, string> } = {},
) {
  const res = await served.app.request(path, {
    method: init.method ?? (init.body === undefined ? 'GET' : 'POST'),
    headers: { ...(init.body !== undefined && { 'content-type': 'application/json' }), ...init.headers },
    ...(init.body !== undefined && { body: JSON.stringify(init.body) }),
  });
  // biome-ignore lint/suspicious/noExplicitAny: test access to arbitrary JSON answers
  return { status: res.status, body: (await res.json()) as any, headers: res.headers };
}

const ids = (body: { items: { itemId: string }[] }) => body.items.map((r) => r.itemId);

beforeAll(async () => {
  served = await servedApp({ histories: 20 });
}, 180_000);

afterAll(async () => {
  await served?.close();
});

describe('routes', () => {
  it('recommends for a user with a history, from the model, with reasons', async () => {
    const { status, body } = await call('/users/user-3/recommendations?k=5');
    expect(status).toBe(200);
    expect(body.items).toHaveLength(5);
    expect(body.modelId).toBe(served.model.id);
    expect(body.events).toBe(worldUserEvents(served.data, 3).length);
    expect(body.items[0].reasons.length).toBeGreaterThan(0);
    const scores = body.items.map((r: { score: number }) => r.score);
    expect(scores).toEqual([...scores].sort((a, b) => b - a));
  });

  it('reflects a posted event in the next recommendation: the item leaves the list, the count grows', async () => {
    const before = await call('/users/user-4/recommendations?k=10');
    const top = before.body.items[0].itemId;
    const posted = await call('/events', { body: { userId: 'user-4', itemId: top, type: 'click' } });
    expect(posted.status).toBe(201);
    expect(posted.body).toMatchObject({ accepted: 1, replayed: false });
    expect(posted.body.lastSeq).toBe(posted.body.firstSeq);
    const after = await call('/users/user-4/recommendations?k=10');
    expect(after.body.events).toBe(before.body.events + 1);
    expect(ids(after.body)).not.toContain(top);
  });

  it('appends a batch atomically and replays an Idempotency-Key without appending again', async () => {
    const events = worldUserEvents(served.data, 40, 'batch-user').slice(0, 3);
    const headers = { 'idempotency-key': 'batch-40-a' };
    const first = await call('/events', { body: { events }, headers });
    expect(first.status).toBe(201);
    expect(first.body).toMatchObject({ accepted: 3, replayed: false });
    expect(first.body.lastSeq - first.body.firstSeq).toBe(2);
    const count = await served.store.events.count();
    const again = await call('/events', { body: { events }, headers });
    expect(again.status).toBe(200);
    expect(again.body).toEqual({ ...first.body, replayed: true });
    expect(await served.store.events.count()).toBe(count);
    expect((await call('/users/batch-user/recommendations')).body.events).toBe(3);
  });

  it('applies the filter, context, exclude_seen, explain and diversity parameters', async () => {
    const topic = [...served.data.catalog.values()][0].categories![0];
    const inTopic = await call(
      `/users/user-5/recommendations?k=5&filter=category:${encodeURIComponent(topic)}`,
    );
    expect(inTopic.status).toBe(200);
    expect(inTopic.body.items.length).toBeGreaterThan(0);
    for (const item of inTopic.body.items) expect(item.categories).toContain(topic);
    const outTopic = await call(
      `/users/user-5/recommendations?k=20&filter=-category:${encodeURIComponent(topic)}`,
    );
    for (const item of outTopic.body.items) expect(item.categories).not.toContain(topic);
    const plain = await call('/users/user-5/recommendations?k=5&context=hour:21,device:mobile&diversity=1');
    const [a, b] = ids(plain.body);
    const excluded = await call(`/users/user-5/recommendations?k=5&filter=exclude:${a}|${b}`);
    expect(ids(excluded.body)).not.toContain(a);
    expect(ids(excluded.body)).not.toContain(b);
    const json = encodeURIComponent(JSON.stringify({ include: [a, 'no-such-item'] }));
    expect(ids((await call(`/users/user-5/recommendations?filter=${json}`)).body)).toEqual([a]);
    const seen = new Set(worldUserEvents(served.data, 5).map((e) => e.itemId));
    const keepSeen = await call('/users/user-5/recommendations?k=50&exclude_seen=false');
    expect(ids(keepSeen.body).some((id) => seen.has(id))).toBe(true);
    const quiet = await call('/users/user-5/recommendations?k=3&explain=false');
    for (const item of quiet.body.items) expect(item.reasons).toEqual([]);
    const diverse = await call('/users/user-5/recommendations?k=5&diversity=0.3');
    expect(diverse.status).toBe(200);
    expect(ids(diverse.body)).not.toEqual(ids(plain.body));
  });

  it('gives a newcomer popular items', async () => {
    const { body } = await call('/users/nobody-yet/recommendations?k=3');
    expect(body.modelId).toBeNull();
    expect(body.events).toBe(0);
    expect(body.items[0].reasons[0].kind).toBe('popular');
  });

  it('upserts items one at a time (PUT) and in batches (POST)', async () => {
    const before = await served.store.items.count();
    const put = await call('/items/new-film', {
      method: 'PUT',
      body: { title: 'New Film', categories: ['Drama'], attributes: { year: 2026 } },
    });
    expect(put).toMatchObject({ status: 200, body: { upserted: 1 } });
    expect(await served.store.items.get('new-film')).toEqual({
      itemId: 'new-film',
      title: 'New Film',
      categories: ['Drama'],
      attributes: { year: 2026 },
    });
    const batch = await call('/items', {
      body: { items: [{ itemId: 'b1', title: 'B1' }, { itemId: 'b2' }] },
    });
    expect(batch).toMatchObject({ status: 200, body: { upserted: 2 } });
    expect(await served.store.items.count()).toBe(before + 3);
    expect(served.engine.stats().catalogItems).toBeGreaterThanOrEqual(before + 3);
  });

  it('reports interests now and over time', async () => {
    const { status, body } = await call('/users/user-6/interests?history=10');
    expect(status).toBe(200);
    expect(body.events).toBe(worldUserEvents(served.data, 6).length);
    expect(
      body.categories.reduce((s: number, c: { probability: number }) => s + c.probability, 0),
    ).toBeCloseTo(1, 4);
    expect(body.history.length).toBeGreaterThan(1);
    expect(body.history.length).toBeLessThanOrEqual(10);
    expect(body.recentItems[0].itemId).toBe(worldUserEvents(served.data, 6).at(-1)!.itemId);
  });

  it('deletes a user and reports what went; the user is a newcomer again', async () => {
    const { status, body } = await call('/users/user-7', { method: 'DELETE' });
    expect(status).toBe(200);
    expect(body).toMatchObject({ userId: 'user-7', events: worldUserEvents(served.data, 7).length });
    expect(await served.store.events.readUser('user-7')).toEqual([]);
    const after = await call('/users/user-7/recommendations');
    expect(after.body.events).toBe(0);
  });

  it('answers a text query without an encoder with 501 CONFIG naming the missing encoder', async () => {
    const { status, body } = await call('/recommendations/query', { body: { text: 'space operas', k: 5 } });
    expect(status).toBe(501);
    expect(body.error.code).toBe('CONFIG');
    expect(body.error.message).toMatch(/text encoder/);
  });

  it('reports health: model, the kind of store (not where it is) and uptime', async () => {
    const { status, body } = await call('/healthz');
    expect(status).toBe(200);
    expect(body).toMatchObject({
      status: 'ok',
      modelId: served.model.id,
      modelFamily: 'sasrec',
      store: 'memory:',
    });
    expect(body.uptimeSeconds).toBeGreaterThanOrEqual(0);
  });
});

describe('text queries with the bundled encoder', () => {
  let text: ServedApp;
  beforeAll(async () => {
    const encoder = await createTextEncoder({});
    text = await servedApp({ histories: 5, text: { encoder, itemText: (item) => itemText(item) } });
  }, 180_000);
  afterAll(async () => {
    await text?.close();
  });

  it('ranks items for a sentence, blended with a user when one is named', async () => {
    const post = (body: unknown) =>
      text.app.request('/recommendations/query', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(body),
      });
    const res = await post({ text: 'a light comedy', k: 5 });
    expect(res.status).toBe(200);
    const body = (await res.json()) as { items: { reasons: { kind: string }[] }[]; userId: string | null };
    expect(body.items).toHaveLength(5);
    expect(body.userId).toBeNull();
    expect(body.items[0].reasons.some((r) => r.kind === 'text')).toBe(true);
    const blended = (await (await post({ text: 'a light comedy', k: 5, userId: 'user-1' })).json()) as {
      userId: string;
      items: unknown[];
    };
    expect(blended.userId).toBe('user-1');
    expect(blended.items).toHaveLength(5);
  });
});

describe('startServer', () => {
  it('shuts down gracefully: an in-flight request completes, then the engine and store close', async () => {
    const own = await servedApp({ histories: 2 });
    const server = await startServer({
      engine: own.engine,
      store: own.store,
      port: 0,
      handleSignals: false,
      log: () => undefined,
    });
    const body = JSON.stringify({
      userId: 'late-user',
      itemId: [...own.data.catalog.keys()][0],
      type: 'view',
    });
    const answer = new Promise<{ status: number; text: string }>((resolve, reject) => {
      const req = request(
        `${server.url}/events`,
        { method: 'POST', headers: { 'content-type': 'application/json' } },
        (res) => {
          let text = '';
          res.on('data', (chunk: Buffer) => {
            text += chunk.toString();
          });
          res.on('end', () => resolve({ status: res.statusCode ?? 0, text }));
        },
      );
      req.on('error', reject);
      // half the body now, the rest after shutdown has begun
      req.write(body.slice(0, 10));
      setTimeout(() => {
        req.end(body.slice(10));
      }, 300);
    });
    await new Promise((resolve) => setTimeout(resolve, 100));
    const closing = server.close();
    const { status, text } = await answer;
    expect(status).toBe(201);
    expect(JSON.parse(text)).toMatchObject({ accepted: 1 });
    await closing;
    await expect(fetch(`${server.url}/healthz`)).rejects.toThrow();
    await expect(own.store.events.count()).rejects.toThrow(/closed/);
  });
});
