import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ServedApp, scopedKeys, servedApp } from '../../test/fixtures/server-app.js';

const { keys: KEYS, auth: AUTH } = scopedKeys('guards');
let served: ServedApp;

async function send(
  path: string,
  init: {
    method?: string;
    body?: RequestInit['body'];
    json?: unknown;
    key?: string;
    headers?: Record<string, string>;
  } = {},
) {
  const headers: Record<string, string> = { ...init.headers };
  if (init.key) headers.authorization = `Bearer ${init.key}`;
  if (init.json !== undefined) headers['content-type'] ??= 'application/json';
  const body = init.json !== undefined ? JSON.stringify(init.json) : init.body;
  const method = init.method ?? (body === undefined ? 'GET' : 'POST');
  const res = await served.app.request(path, { method, headers, body });
  const text = await res.text();
  // biome-ignore lint/suspicious/noExplicitAny: test access to arbitrary JSON answers
  let parsed: any = text;
  if (res.headers.get('content-type')?.includes('json')) parsed = JSON.parse(text);
  return { status: res.status, body: parsed, headers: res.headers };
}

const event = (n: number) => ({
  userId: `guard-${n % 7}`,
  itemId: [...served.data.catalog.keys()][n % 50],
  type: 'view',
});

beforeAll(async () => {
  served = await servedApp({
    histories: 10,
    auth: AUTH,
  });
}, 180_000);

afterAll(async () => {
  await served?.close();
});

describe('API keys', () => {
  const routes = [
    { name: 'recommend', path: '/users/user-1/recommendations', scope: 'read' },
    { name: 'metrics', path: '/metrics', scope: 'read' },
    {
      name: 'events',
      path: '/events',
      scope: 'write',
      json: { userId: 'guard-auth', itemId: 'x1', type: 'view' },
    },
    { name: 'item', path: '/items/auth-item', method: 'PUT', scope: 'write', json: { title: 'T' } },
    { name: 'delete', path: '/users/never-existed', method: 'DELETE', scope: 'admin' },
    { name: 'health', path: '/healthz', scope: null },
    { name: 'openapi', path: '/openapi.json', scope: null },
  ] as const;
  const callers = [
    { name: 'no key', key: undefined, scopes: [] as string[] },
    { name: 'reader', key: KEYS.reader, scopes: ['read'] },
    { name: 'writer', key: KEYS.writer, scopes: ['write'] },
    { name: 'admin', key: KEYS.admin, scopes: ['read', 'write', 'admin'] },
  ];
  for (const route of routes) {
    for (const caller of callers) {
      const expected =
        route.scope === null || caller.scopes.includes(route.scope) ? 'ok' : caller.key ? 403 : 401;
      it(`${route.name} with ${caller.name}: ${expected}`, async () => {
        const { status, body } = await send(route.path, {
          method: 'method' in route ? route.method : undefined,
          json: 'json' in route ? route.json : undefined,
          key: caller.key,
        });
        if (expected === 'ok') expect(status).toBeLessThan(300);
        else {
          expect(status).toBe(expected);
          expect(body.error.code).toBe(expected === 401 ? 'UNAUTHORIZED' : 'FORBIDDEN');
        }
      });
    }
  }

  it('accepts X-API-Key, rejects unknown keys with 401 and WWW-Authenticate', async () => {
    expect((await send('/metrics', { headers: { 'x-api-key': KEYS.reader } })).status).toBe(200);
    const wrong = await send('/metrics', { key: `${KEYS.reader}x` });
    expect(wrong.status).toBe(401);
    expect(wrong.headers.get('www-authenticate')).toMatch(/Bearer/);
    expect((await send('/metrics', { headers: { authorization: 'Basic abc' } })).status).toBe(401);
  });
});

describe('validation', () => {
  const post = (json: unknown) => send('/events', { json, key: KEYS.writer });

  it('names the field at fault, and stores nothing of a batch with one bad event', async () => {
    const count = await served.store.events.count();
    const events = [event(0), event(1), event(2), { ...event(3), type: 'clik' }];
    const { status, body } = await post({ events });
    expect(status).toBe(400);
    expect(body.error).toMatchObject({ code: 'INVALID_INPUT', field: 'events[3].type' });
    expect(body.error.message).toContain('events[3].type: "clik" is not one of view, click, cart');
    expect(await served.store.events.count()).toBe(count);
  });

  it.each([
    [{ itemId: 'i', type: 'view' }, 'userId', 'userId: is required'],
    [
      { ...{ userId: 'u', itemId: 'i', type: 'view' }, userid: 'u' },
      'userid',
      'userid: is not a known field',
    ],
    [
      { userId: 'u', itemId: 'i', type: 'view', value: 'abc' },
      'value',
      'value: expected a number, got "abc"',
    ],
    [
      { userId: 'u', itemId: 'i', type: 'view', context: { a: { b: 1 } } },
      'context.a',
      'context.a: expected a string, a number or a boolean, got {"b":1}',
    ],
    [{ userId: '', itemId: 'i', type: 'view' }, 'userId', 'at least 1 character'],
    [{ userId: 'u'.repeat(300), itemId: 'i', type: 'view' }, 'userId', 'longer than 256'],
    [{ events: [{ userId: 'u', itemId: 7, type: 'view' }] }, 'events[0].itemId', 'expected a string, got 7'],
    [{ events: [] }, 'events', 'at least 1 entry'],
    [[1, 2], undefined, 'expected an object'],
    [{ userId: 'u', itemId: 'i', type: 'view', timestamp: 1e10 }, 'timestamp', 'looks like Unix seconds'],
    [{ userId: 'u', itemId: 'i', type: 'view', timestamp: 1e300 }, 'timestamp', 'h ahead of now'],
    [{ userId: 'u', itemId: 'i', type: 'view', timestamp: '2026-13-01T00:00:00Z' }, 'timestamp', 'Invalid'],
    [{ userId: 'u\u0000', itemId: 'i', type: 'view' }, 'userId', 'control character U+0000'],
    [{ userId: 'u', itemId: 'i\ud800', type: 'view' }, 'itemId', 'unpaired UTF-16 surrogate'],
  ])('rejects %j naming %s', async (json, field, message) => {
    const count = await served.store.events.count();
    const { status, body } = await post(json);
    expect(status).toBe(400);
    expect(body.error.field).toBe(field);
    expect(body.error.message).toContain(message);
    expect(await served.store.events.count()).toBe(count);
  });

  it('rejects a body with a key given twice in one object, naming it', async () => {
    const text = '{"userId": "u", "itemId": "i", "type": "view", "userId": "v"}';
    const { status, body } = await send('/events', {
      key: KEYS.writer,
      body: text,
      headers: { 'content-type': 'application/json' },
    });
    expect(status).toBe(400);
    expect(body.error).toMatchObject({ code: 'INVALID_INPUT', field: 'userId' });
    expect(body.error.message).toContain('"userId" appears twice in one object');
  });

  it('answers an upload cut short with a 400, not a 500', async () => {
    const body = new ReadableStream<Uint8Array>({
      start(controller) {
        controller.enqueue(new TextEncoder().encode('{"userId": "u", "itemId"'));
        controller.error(new Error('the client went away'));
      },
    });
    const res = await served.app.request('/events', {
      method: 'POST',
      headers: { authorization: `Bearer ${KEYS.writer}`, 'content-type': 'application/json' },
      body,
      duplex: 'half',
    } as RequestInit);
    expect(res.status).toBe(400);
    expect(((await res.json()) as { error: { message: string } }).error.message).toContain('cut short');
  });

  it('takes an ISO 8601 time with an offset as the event time', async () => {
    const at = '2026-06-01T12:00:00+02:00';
    const { status } = await post({
      userId: 'iso-user',
      itemId: event(0).itemId,
      type: 'view',
      timestamp: at,
    });
    expect(status).toBe(201);
    const [stored] = await served.store.events.readUser('iso-user');
    expect(stored.timestamp).toBe(Date.parse(at));
  });

  it.each([
    ['k=abc', 'k', '"abc" is not an integer'],
    ['k=0', 'k', 'below the minimum 1'],
    ['k=5&k=6', 'k', 'given more than once'],
    ['diversity=2', 'diversity', 'not a number in [0, 1]'],
    ['filter=colour:red', 'filter', 'term "colour:red" is not one of category:'],
    ['filter={"categories":"Drama"}', 'filter.categories', 'expected an array'],
    ['exclude_seen=clik', 'exclude_seen', '"clik" is not true, false or one of'],
    ['context=hour', 'context', 'is not key:value'],
    ['explain=yes', 'explain', 'not true or false'],
    ['kk=5', 'kk', 'not a known field'],
  ])('rejects the query %s naming %s', async (query, field, message) => {
    const { status, body } = await send(`/users/user-1/recommendations?${query}`, { key: KEYS.reader });
    expect(status).toBe(400);
    expect(body.error.field).toBe(field);
    expect(body.error.message).toContain(message);
  });

  it('rejects an over-long path id and an invalid Idempotency-Key', async () => {
    const long = await send(`/users/${'x'.repeat(300)}/recommendations`, { key: KEYS.reader });
    expect(long.status).toBe(400);
    expect(long.body.error.field).toBe('id');
    const key = await send('/events', {
      json: event(1),
      key: KEYS.writer,
      headers: { 'idempotency-key': 'has space' },
    });
    expect(key.status).toBe(400);
    expect(key.body.error.field).toBe('Idempotency-Key');
  });
});

describe('limits and protocol errors', () => {
  it('answers 413 on a large Content-Length, a large streamed body and a batch over the limit', async () => {
    const big = JSON.stringify({ events: [{ ...event(0), context: { pad: 'x'.repeat(1 << 20) } }] });
    const declared = await send('/events', {
      body: big,
      key: KEYS.writer,
      headers: { 'content-type': 'application/json' },
    });
    expect(declared.status).toBe(413);
    expect(declared.body.error.code).toBe('PAYLOAD_TOO_LARGE');
    const bytes = new TextEncoder().encode(big);
    const stream = new ReadableStream<Uint8Array>({
      start(controller) {
        for (let at = 0; at < bytes.length; at += 64 * 1024)
          controller.enqueue(bytes.subarray(at, at + 64 * 1024));
        controller.close();
      },
    });
    const streamed = await served.app.request(
      new Request('http://localhost/events', {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${KEYS.writer}` },
        body: stream,
        duplex: 'half',
      } as RequestInit),
    );
    expect(streamed.status).toBe(413);
    const batch = await send('/events', {
      json: { events: Array.from({ length: 1001 }, (_, n) => event(n)) },
      key: KEYS.writer,
    });
    expect(batch.status).toBe(413);
    expect(batch.body.error.field).toBe('events');
  });

  it.each([
    ['malformed JSON', 400, '{"userId": "u",', 'application/json', /malformed JSON/],
    ['invalid UTF-8', 400, new Uint8Array([0x7b, 0x22, 0xff, 0xfe, 0x22, 0x7d]), 'application/json', /UTF-8/],
    ['an empty body', 400, '', 'application/json', /empty/],
    ['text/plain', 415, '{}', 'text/plain', /application\/json/],
    ['Latin-1 JSON', 415, '{}', 'application/json; charset=latin1', /application\/json/],
  ])('answers %s with %i', async (_, status, body, type, message) => {
    const res = await send('/events', {
      body: body as RequestInit['body'],
      key: KEYS.writer,
      headers: { 'content-type': type },
    });
    expect(res.status).toBe(status);
    expect(res.body.error.message).toMatch(message);
  });

  it('answers unknown routes with 404 JSON and wrong methods with 405 and Allow', async () => {
    const missing = await send('/nope', { key: KEYS.admin });
    expect(missing.status).toBe(404);
    expect(missing.body.error.code).toBe('NOT_FOUND');
    const patch = await send('/events', { method: 'PATCH', key: KEYS.admin });
    expect(patch.status).toBe(405);
    expect(patch.headers.get('allow')).toBe('POST');
    const get = await send('/items/x', { key: KEYS.admin });
    expect(get.status).toBe(405);
    expect(get.headers.get('allow')).toBe('PUT');
  });
});
