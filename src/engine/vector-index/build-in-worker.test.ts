import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { Rng } from '../../core/random.js';
import { buildHnswFile } from './build-in-worker.js';
import { ExactIndex } from './exact.js';
import { HnswIndex } from './hnsw.js';

const DIM = 32;
const N = 20_000;

describe('buildHnswFile', () => {
  it('builds on a worker while the event loop keeps turning; the file loads with every item', async () => {
    const rng = new Rng(3);
    const rows = Float32Array.from({ length: N * DIM }, () => rng.normal());
    const dir = mkdtempSync(join(tmpdir(), 'tide-build-'));
    try {
      const file = join(dir, 'items.hnsw');
      let added = 0;
      const progress = {
        start() {},
        tick(n: number) {
          added += n;
        },
        done() {},
      };
      // the longest the main thread went without running a timer while the worker built
      let longestStallMs = 0;
      let last = performance.now();
      const timer = setInterval(() => {
        const now = performance.now();
        longestStallMs = Math.max(longestStallMs, now - last);
        last = now;
      }, 5);
      const started = performance.now();
      await buildHnswFile(
        { dim: DIM, rows: rows.slice(), options: { efSearch: 100 }, file, name: 'items' },
        progress,
      );
      const buildMs = performance.now() - started;
      clearInterval(timer);
      expect(added).toBe(N);
      // the build took far longer than any pause of the main thread
      expect(longestStallMs).toBeLessThan(buildMs / 4);
      const index = await HnswIndex.load(file, DIM, { efSearch: 100 });
      expect(index.size).toBe(N);
      const exact = new ExactIndex(DIM, N);
      exact.add(
        Int32Array.from({ length: N }, (_, i) => i),
        rows,
      );
      let hits = 0;
      for (let q = 0; q < 20; q++) {
        const query = rows.subarray(q * 97 * DIM, (q * 97 + 1) * DIM);
        const truth = new Set(exact.search(query, 10).ids);
        for (const id of index.search(query, 10).ids) if (truth.has(id)) hits++;
      }
      expect(hits / 200).toBeGreaterThanOrEqual(0.9);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 120_000);

  it('reports a file that cannot be written, naming it', async () => {
    const rows = new Float32Array(4 * DIM).fill(1);
    const file = '/proc/tide-cannot-write-here/items.hnsw';
    await expect(
      buildHnswFile(
        { dim: DIM, rows, options: {}, file, name: 'items' },
        { start() {}, tick() {}, done() {} },
      ),
    ).rejects.toThrow(/building \/proc\/tide-cannot-write-here\/items\.hnsw/);
  });
});
