/**
 * 1,000 malformed requests from a seeded generator: every one must get a 4xx, the server must keep
 * answering, and nothing stored may change. A failure names the case number and its request, and
 * the same seed gives the same requests.
 */
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { malformedRequest } from '../../test/fixtures/malformed-requests.js';
import { type ServedApp, scopedKeys, servedApp } from '../../test/fixtures/server-app.js';
import { Rng } from '../core/random.js';

const SEED = 20_260_101;
const CASES = 1000;
/** The kinds of request with exactly one field at fault. */
const NAMES_FIELD = new Set([
  'bad event',
  'batch with one bad event',
  'bad item batch',
  'bad query',
  'too long id',
]);
const { keys: KEYS, auth: AUTH } = scopedKeys('fuzz');

let served: ServedApp;

function parses(body: string | Uint8Array | undefined): boolean {
  if (typeof body !== 'string') return body === undefined;
  try {
    JSON.parse(body, (_key, value: unknown) => value); // with a reviver, as the server: it recurses
    return true;
  } catch {
    return false;
  }
}

beforeAll(async () => {
  const dir = await mkdtemp(join(tmpdir(), 'tide-fuzz-'));
  served = await servedApp({
    storeUrl: `sqlite://${join(dir, 'fuzz.db')}`,
    histories: 10,
    auth: AUTH,
  });
}, 180_000);

afterAll(async () => {
  await served?.close();
});

describe('fuzz', () => {
  it(`answers ${CASES} malformed requests with 4xx and changes nothing (seed ${SEED})`, async () => {
    const recommend = async () => {
      const res = await served.app.request('/users/user-2/recommendations?k=10', {
        headers: { authorization: `Bearer ${KEYS.reader}` },
      });
      expect(res.status).toBe(200);
      const body = (await res.json()) as { items: unknown[]; events: number };
      expect(body.items).toHaveLength(10);
      expect(body.events).toBeGreaterThan(0);
      return body;
    };
    const before = {
      events: await served.store.events.count(),
      items: await served.store.items.count(),
      recommendations: await recommend(),
    };
    const itemIds = [...served.data.catalog.keys()];
    const rng = new Rng(SEED);
    const kinds = new Map<string, number>();
    for (let n = 0; n < CASES; n++) {
      const r = malformedRequest(rng, { itemIds, keys: KEYS });
      kinds.set(r.kind, (kinds.get(r.kind) ?? 0) + 1);
      const res = await served.app.request(r.path.slice(0, 4000), {
        method: r.method,
        headers: r.headers,
        body: r.body,
      });
      const text = await res.text();
      const what = `case ${n} (${r.kind}): ${r.method} ${r.path.slice(0, 80)} ${String(r.body ?? '').slice(0, 120)} -> ${res.status} ${text.slice(0, 200)}`;
      expect(res.status >= 400 && res.status < 500, what).toBe(true);
      const { error } = JSON.parse(text) as { error: { code: string; message: string; field?: string } };
      expect(error.code, what).toEqual(expect.any(String));
      expect(error.message.length, what).toBeGreaterThan(0);
      // one bad field in an otherwise valid request (that parses: deep nesting may stop the parser
      // before any field): the answer names it
      if (NAMES_FIELD.has(r.kind) && parses(r.body))
        expect(error.field, what).toEqual(expect.stringMatching(/./));
      // still up, and not answering everything with an error
      if (n % 100 === 99) expect((await recommend()).items).toEqual(before.recommendations.items);
    }
    expect(kinds.size).toBeGreaterThanOrEqual(17);
    expect(await served.store.events.count()).toBe(before.events);
    expect(await served.store.items.count()).toBe(before.items);
    expect(await recommend()).toEqual(before.recommendations);
    expect(served.logs).toEqual([]);
  }, 300_000);
});
