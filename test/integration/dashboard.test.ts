/**
 * The dashboard end to end: the page built by Vite, served with the real API over a real engine
 * (memory store, the world-trained SASRec model), driven in headless Chromium. Picks a user, sees
 * the interest chart and the recommendations, simulates a click, then posts an event from outside
 * and sees the page follow over Server-Sent Events, all without a reload.
 */
import { execFile } from 'node:child_process';
import { mkdir, mkdtemp, stat } from 'node:fs/promises';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { serve } from '@hono/node-server';
import { type Browser, chromium, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TideClient } from '../../src/client/index.js';
import type { Dataset } from '../../src/data/dataset.js';
import { Engine } from '../../src/engine/engine.js';
import { openServingModel, type ServingModel } from '../../src/engine/serving-model.js';
import { initBackend } from '../../src/nn/backend.js';
import { createApp } from '../../src/server/app.js';
import { openStore } from '../../src/storage/open.js';
import type { Store } from '../../src/storage/ports.js';
import { createTextEncoder } from '../../src/text/encoder.js';
import { itemText } from '../../src/text/item-text.js';
import { servedModel } from '../fixtures/served-model.js';
import { worldUserEvents } from '../fixtures/server-app.js';

const ROOT = new URL('../../', import.meta.url).pathname;
/** The README's picture is refreshed only on request (TIDE_UPDATE_SCREENSHOT=1): a test run leaves the tree clean. */
const SCREENSHOT = process.env.TIDE_UPDATE_SCREENSHOT
  ? join(ROOT, 'docs/dashboard.png')
  : join(tmpdir(), `tide-dashboard-${process.pid}.png`);
const USER = 'user-7';

let served: { engine: Engine; store: Store; model: ServingModel; data: Dataset };
let server: Server;
let base: string;
let browser: Browser;
let page: Page;
const problems: string[] = [];

async function buildPage(): Promise<string> {
  const outDir = join(await mkdtemp(join(tmpdir(), 'tide-web-')), 'dist');
  await mkdir(outDir);
  const vite = join(ROOT, 'node_modules/.bin/vite');
  const args = ['build', 'web', '--config', 'web/vite.config.ts', '--outDir', outDir, '--logLevel', 'error'];
  await promisify(execFile)(vite, args, { cwd: ROOT });
  return outDir;
}

// Browser-side code is given as strings or locators: the tests' tsconfig has no DOM library.
const text = (selector: string) => page.locator(selector).first().innerText();
const recIds = async () => {
  const rows = page.locator('#recs li.rec');
  return Promise.all((await rows.all()).map((row) => row.getAttribute('data-item')));
};
const eventCount = async () => Number.parseInt(await text('[data-testid="event-count"]'), 10);
const firstTimelineItem = () => page.locator('#events li').first().getAttribute('data-item');
const soon = { timeout: 15_000, interval: 50 };

/**
 * The fused model (it has the short/long gate a), the bundled text encoder (text queries, cold
 * items), the world's catalogue and 20 users' histories.
 */
async function serveWorld() {
  await initBackend();
  const encoder = await createTextEncoder({ provider: 'use-lite' });
  const { dir, data } = await servedModel('fused');
  const model = await openServingModel(dir);
  const store = await openStore('memory://');
  await store.items.put([...data.catalog.values()]);
  for (let u = 0; u < 20; u++) await store.events.append(worldUserEvents(data, u));
  const createdAt = Date.parse(model.manifest.createdAt);
  await store.models.register({
    id: model.id,
    dir,
    family: model.family,
    createdAt,
    metrics: { ...model.metrics },
  });
  await store.models.activate(model.id);
  const engine = await Engine.open({ store, model, text: { encoder, itemText: (item) => itemText(item) } });
  return { engine, store, model, data };
}

beforeAll(async () => {
  const [staticDir, world] = await Promise.all([buildPage(), serveWorld()]);
  served = world;
  const app = createApp({
    engine: served.engine,
    storeUrl: served.store.url,
    store: served.store,
    dashboardDir: staticDir,
  });
  server = await new Promise<Server>((resolve) => {
    const s = serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' }, () =>
      resolve(s as Server),
    ) as Server;
  });
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  // Chromium's sandbox cannot start as root (containers, CI)
  const root = process.getuid?.() === 0;
  browser = await chromium.launch({
    executablePath: '/usr/bin/chromium',
    args: root ? ['--no-sandbox'] : [],
  });
  page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
  page.on('pageerror', (error) => void problems.push(`pageerror: ${error.message}`));
  page.on('console', (message) => {
    if (message.type() === 'error') problems.push(`console: ${message.text()}`);
  });
}, 240_000);

afterAll(async () => {
  await browser?.close();
  await new Promise((resolve) => server?.close(resolve));
  server?.closeAllConnections();
  await served?.engine.close();
  await served?.store.close();
});

describe('dashboard in a browser', () => {
  it('renders the most recent user first, and reports the first-render time', async () => {
    await page.goto(`${base}/`);
    await page.waitForSelector('body[data-rendered="true"]', { timeout: 30_000 });
    const timing = await page.evaluate<{ domContentLoaded: number; firstRender?: number }>(`({
      domContentLoaded: performance.getEntriesByType('navigation')[0].domContentLoadedEventEnd,
      firstRender: performance.getEntriesByName('tide:first-render')[0]?.startTime,
    })`);
    console.log(
      `dashboard first render (world, 20 users): DOMContentLoaded ${timing.domContentLoaded.toFixed(0)} ms, ` +
        `user view with chart and recommendations ${timing.firstRender?.toFixed(0)} ms after navigation start`,
    );
    expect(timing.firstRender).toBeGreaterThan(0);
    expect(page.url()).toMatch(/#\/users\/user-19$/);
  });

  it('shows a picked user: interest chart with a category legend, facets, recommendations with reasons', async () => {
    const marker = await page.evaluate('window.tideNoReload = 1');
    await page.getByRole('button', { name: new RegExp(`^${USER}\\b`) }).click();
    await expect.poll(() => text('.user-header h1'), soon).toBe(USER);
    await expect.poll(() => page.locator('#evolution .plot canvas').count(), soon).toBe(2);
    const legend = await page.locator('#evolution .legend li .legend-name').allInnerTexts();
    expect(legend.length).toBeGreaterThan(1);
    expect(legend.filter((c) => c !== 'other').every((c) => served.model.categories?.includes(c))).toBe(true);
    await page.waitForSelector('#recs li.rec');
    expect(await recIds()).toHaveLength(10);
    expect(await page.locator('#recs li.rec').first().locator('.reason').count()).toBeGreaterThan(0);
    expect(await page.locator('#now meter').count()).toBeGreaterThan(0);
    expect(marker).toBe(1);
  });

  it('simulates a click: the timeline grows and the recommendations change, without a reload', async () => {
    const before = await recIds();
    const count = await eventCount();
    await page.locator('#simulate-click').click();
    await expect.poll(eventCount, soon).toBe(count + 1);
    await expect.poll(async () => (await recIds())[0], soon).not.toBe(before[0]);
    await expect.poll(firstTimelineItem, soon).toBe(before[0]);
    expect(await recIds()).not.toContain(before[0]);
    expect(await page.evaluate('window.tideNoReload')).toBe(1);
  });

  it('follows an event posted by another client, over Server-Sent Events', async () => {
    await expect.poll(() => text('#live-status'), soon).toBe('Live: connected');
    const count = await eventCount();
    const itemId = served.data.itemIds.idOf(7);
    const appended = await new TideClient({ baseUrl: base }).postEvents({
      userId: USER,
      itemId,
      type: 'view',
    });
    expect(appended.accepted).toBe(1);
    await expect.poll(eventCount, soon).toBe(count + 1);
    // the timeline's answer may land after the summary's
    await expect.poll(firstTimelineItem, soon).toBe(itemId);
    await page.screenshot({ path: SCREENSHOT });
    expect((await stat(SCREENSHOT)).size).toBeLessThan(300_000);
  });

  it('re-queries live when diversity changes, with keyboard-reachable controls', async () => {
    const requested = page.waitForResponse((r) => /\/recommendations\?.*diversity=0\.5(&|$)/.test(r.url()));
    await page.locator('#diversity').focus();
    for (let n = 0; n < 10; n++) await page.keyboard.press('ArrowLeft');
    expect(await text('#diversity-value')).toBe('0.50');
    expect((await requested).status()).toBe(200);
    await page.waitForSelector('#recs .recommendations[aria-busy="false"] li.rec');
    expect(await recIds()).toHaveLength(10);
    await page.keyboard.press('Tab');
    expect(await page.evaluate('document.activeElement.tagName')).toBe('BUTTON');
  });

  it('answers a text query, and shows where a new item lands and who would get it', async () => {
    await page.fill('#text-query', 'space opera');
    await page.locator('#ask button[type="submit"]').click();
    await page.waitForSelector('#ask .reason-text');
    const twin = [...served.data.catalog.values()].find((item) => item.categories?.includes('space opera'))!;
    await page.fill('#item-id', 'dashboard-new-1');
    await page.fill('#item-title', `${twin.title} (remastered)`);
    await page.fill('#item-categories', twin.categories!.join(', '));
    await page.fill('#item-text', twin.text ?? '');
    await page.locator('#new-item button[type="submit"]').click();
    await page.waitForSelector('[data-testid="cold-rank"]');
    expect(await text('[data-testid="cold-rank"]')).toMatch(/^(Rank \d+ for|Not in) user-7/);
    expect(await text('#new-item .reason-cold-item')).toContain(twin.itemId);
    expect(await text('#new-item')).toMatch(/Checked the 20 most recently active users/);
  });

  it('shows interest facets and facet reasons when the served model has facets', async () => {
    const { dir } = await servedModel('facets');
    await served.engine.swapModel(await openServingModel(dir));
    await page.getByRole('button', { name: /^user-5\b/ }).click();
    await page.waitForSelector('#now h3 + ul.bars li');
    const labels = await page.locator('#now .bar-label').allInnerTexts();
    expect(labels.some((label) => label.includes(' & '))).toBe(true);
    await page.waitForSelector('#recs .reason-facet');
  }, 120_000);

  it('shows the model page with its training curve, and no page error happened', async () => {
    await page.getByRole('link', { name: 'Model' }).click();
    await page.waitForSelector('#model-training canvas');
    expect(await text('main h1')).toBe(`Model ${served.engine.model?.id}`);
    expect(await text('#model-summary')).toContain('facets');
    expect(await text('#model-metrics')).toContain('fused');
    expect(problems).toEqual([]);
  });

  it("shows a fused model's gate check on the model page: a's spread and whether a is reported", async () => {
    const { dir } = await servedModel('fused-checked');
    const model = await openServingModel(dir);
    const gate = model.manifest.training.gate as { kept: boolean };
    await served.engine.swapModel(model);
    await page.getByRole('link', { name: 'Users' }).click();
    await page.getByRole('link', { name: 'Model' }).click();
    await page.waitForSelector('#model-training canvas');
    const summary = await text('#model-summary');
    expect(summary).toMatch(
      /Short-term share a\s*p10 \/ p50 \/ p90 [\d.]+ \/ [\d.]+ \/ [\d.]+ over \d+ validation cases/,
    );
    expect(summary).toContain(gate.kept ? 'reported with every answer' : 'not reported');
    expect(problems).toEqual([]);
  }, 120_000);
});
