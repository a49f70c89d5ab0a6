/**
 * Worker threads on Tide's own modules. Under tsx or vitest those modules are TypeScript, which a bare
 * worker cannot load, so tsx is registered in the worker first; built (dist) modules load directly.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';
import { Worker, type WorkerOptions } from 'node:worker_threads';

/**
 * The URL of the module `stem` in the directory of `importMetaUrl`, with the caller's own extension
 * (`.ts` from source, `.js` when built).
 *
 * @example
 * const url = moduleBeside(import.meta.url, 'write-worker'); // .../sqlite/write-worker.ts under tsx
 */
export function moduleBeside(importMetaUrl: string, stem: string): URL {
  const extension = new URL(importMetaUrl).pathname.endsWith('.ts') ? '.ts' : '.js';
  return new URL(`./${stem}${extension}`, importMetaUrl);
}

/** Starts a worker thread running the module at `moduleUrl`. */
export function startModuleWorker(moduleUrl: URL, options: WorkerOptions): Worker {
  if (!moduleUrl.pathname.endsWith('.ts')) return new Worker(moduleUrl, options);
  // resolved here: code run with `eval` resolves bare names from the working directory, not from Tide
  const load = `import(${JSON.stringify(tsxEsmApi())}).then(({ register }) => { register(); return import(${JSON.stringify(moduleUrl.href)}); })`;
  return new Worker(load, { ...options, eval: true });
}

/** The URL of tsx's ESM register API, found from its package.json (its CommonJS build cannot register). */
function tsxEsmApi(): string {
  const manifest = createRequire(import.meta.url).resolve('tsx/package.json');
  const { exports } = JSON.parse(readFileSync(manifest, 'utf8')) as {
    exports: Record<string, { import: { default: string } }>;
  };
  return new URL(exports['./esm/api'].import.default, pathToFileURL(manifest)).href;
}
