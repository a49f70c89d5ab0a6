/**
 * The built dashboard (Vite's output: index.html plus hashed files under assets/), served at `/`
 * with its content types; any other GET that a browser navigates to (Accept: text/html) gets
 * index.html too, so a reload on a deep link works. API clients keep their JSON 404s.
 */
import { readFile } from 'node:fs/promises';
import { extname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Context, Env, Hono } from 'hono';

/** Where `npm run build:web` writes the dashboard (from src/server or dist/server alike). */
export const DEFAULT_DASHBOARD_DIR = fileURLToPath(new URL('../../dist/web/', import.meta.url));

const TYPES: Readonly<Record<string, string>> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.txt': 'text/plain; charset=utf-8',
};

/** Everything the page loads comes from this origin; no inline scripts. */
const PAGE_HEADERS = {
  'content-security-policy':
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; " +
    "object-src 'none'; base-uri 'none'; frame-ancestors 'none'",
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
  'cache-control': 'no-cache',
};

/** File names Vite emits: no separators, no dot-dot, nothing hidden. */
const SAFE_NAME = /^[\w-][\w.-]*$/;

/**
 * Registers `/`, `/assets/:file` and the navigation fallback. Register it after the API routes:
 * the fallback answers only what nothing else matched.
 *
 * @example
 * serveDashboardAssets(app, DEFAULT_DASHBOARD_DIR);
 */
export function serveDashboardAssets<E extends Env>(app: Hono<E>, dir: string): void {
  const page = (c: Context<E>) => file(c, dir, 'index.html', PAGE_HEADERS);
  app.get('/', page);
  app.get('/assets/:file', (c) => {
    const name = c.req.param('file');
    if (!SAFE_NAME.test(name)) return c.notFound();
    return file(c, join(dir, 'assets'), name, {
      'x-content-type-options': 'nosniff',
      'cache-control': 'public, max-age=31536000, immutable',
    });
  });
  app.get('*', (c) => {
    const accept = c.req.header('accept') ?? '';
    return accept.includes('text/html') ? page(c) : c.notFound();
  });
}

async function file<E extends Env>(
  c: Context<E>,
  dir: string,
  name: string,
  headers: Record<string, string>,
): Promise<Response> {
  let bytes: Buffer;
  try {
    bytes = await readFile(join(dir, name));
  } catch {
    if (name !== 'index.html') return c.notFound();
    const hint = `The dashboard is not built (${join(dir, name)} is missing): run "npm run build:web".\n`;
    return new Response(hint, { status: 503, headers: { 'content-type': 'text/plain; charset=utf-8' } });
  }
  const type = TYPES[extname(name)] ?? 'application/octet-stream';
  return new Response(new Uint8Array(bytes), { headers: { 'content-type': type, ...headers } });
}
