import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ServedApp, servedApp } from '../../test/fixtures/server-app.js';

let served: ServedApp;
/** Appends wait for this gate: the test decides when the write queue drains. */
let release: () => void = () => undefined;

beforeAll(async () => {
  served = await servedApp({ limits: { maxQueuedEvents: 10 } });
  const append = served.store.events.append.bind(served.store.events);
  served.store.events.append = async (events, options) => {
    await new Promise<void>((resolve) => {
      const previous = release;
      release = () => {
        previous();
        resolve();
      };
    });
    return append(events, options);
  };
}, 180_000);

afterAll(async () => {
  await served?.close();
});

const post = (body: string) =>
  served.app.request('/events', { method: 'POST', headers: { 'content-type': 'application/json' }, body });
const batch = (n: number) =>
  JSON.stringify({
    events: Array.from({ length: n }, () => ({ userId: 'user-1', itemId: 'i0001', type: 'click' })),
  });

describe('the write queue', () => {
  it('refuses writes past its bound at once with 503 and Retry-After, and admits them again once it drains', async () => {
    const waiting = post(batch(8));
    await new Promise((resolve) => setTimeout(resolve, 20));
    // 8 + 5 > 10: refused without waiting for the 8 to be logged
    const refused = await post(batch(5));
    expect(refused.status).toBe(503);
    expect(refused.headers.get('retry-after')).toBe('1');
    expect(((await refused.json()) as { error: { code: string } }).error.code).toBe('OVERLOADED');
    // 8 + 2 fits
    const fits = post(batch(2));
    await new Promise((resolve) => setTimeout(resolve, 20));
    // full: refused before the body is read (this one is not even JSON)
    const full = await post('not json at all');
    expect(full.status).toBe(503);

    release();
    expect((await waiting).status).toBe(201);
    expect((await fits).status).toBe(201);
    const again = post(batch(5));
    await new Promise((resolve) => setTimeout(resolve, 20));
    release();
    expect((await again).status).toBe(201);

    const metrics = await (await served.app.request('/metrics')).text();
    expect(metrics).toMatch(/^tide_event_writes_refused_total 2$/m);
    expect(metrics).toMatch(/^tide_events_queued 0$/m);
    expect(served.logs).toEqual([]);
  });
});
