/**
 * Builds the dashboard into dist/web, which `tide serve` serves at `/`. Run from the repository
 * root as `vite build web --config web/vite.config.ts` (npm run build:web). `npm run dev:web` serves
 * it with hot reload and forwards the API to a `tide serve` on port 8080.
 */
import { defineConfig } from 'vite';

const API = ['/users', '/items', '/events', '/recommendations', '/model', '/healthz', '/openapi.json'];

export default defineConfig({
  build: { outDir: '../dist/web', emptyOutDir: true, target: 'es2022', sourcemap: false },
  server: { proxy: Object.fromEntries(API.map((path) => [path, 'http://127.0.0.1:8080'])) },
});
