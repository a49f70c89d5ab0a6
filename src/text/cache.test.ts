import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import {
  type EmbeddingServer,
  embeddingsReply,
  hashVector,
  startEmbeddingServer,
} from '../../test/fixtures/embedding-server.js';
import type { ProgressMetrics, ProgressReporter } from '../core/progress.js';
import { EmbeddingCache } from './cache.js';
import { embedWithCache } from './embed-with-cache.js';
import type { TextEncoder } from './encoder.js';
import { OpenAiCompatibleEncoder } from './openai-compatible.js';

const DIM = 6;
const TEXTS = Array.from({ length: 20 }, (_, i) => `Movie ${i} (19${50 + i}). Drama`);

/** A real encoder (HTTP, against the loopback server) that counts what it is asked to embed. */
class CountingEncoder implements TextEncoder {
  embedded: string[] = [];
  constructor(
    private readonly inner: TextEncoder,
    readonly id = inner.id,
    private failAfterCalls = Number.POSITIVE_INFINITY,
  ) {}
  get dim(): number {
    return this.inner.dim;
  }
  async embed(texts: readonly string[]): Promise<Float32Array[]> {
    if (this.failAfterCalls-- <= 0) throw new Error('simulated crash');
    this.embedded.push(...texts);
    return this.inner.embed(texts);
  }
}

/** Records what a progress bar would show. */
class RecordingProgress implements ProgressReporter {
  total = 0;
  ticks: number[] = [];
  last: ProgressMetrics = {};
  start(_label: string, total: number): void {
    this.total = total;
  }
  tick(n: number): void {
    this.ticks.push(n);
  }
  done(metrics?: ProgressMetrics): void {
    this.last = metrics ?? {};
  }
}

let server: EmbeddingServer;
let cache: EmbeddingCache | undefined;
beforeAll(async () => {
  server = await startEmbeddingServer(embeddingsReply(DIM));
});
afterAll(() => server.close());
afterEach(() => {
  cache?.close();
  cache = undefined;
});

function httpEncoder(model = 'm'): OpenAiCompatibleEncoder {
  return new OpenAiCompatibleEncoder({ baseUrl: server.baseUrl, model, dim: DIM });
}

describe('EmbeddingCache', () => {
  it('returns what was put, for the same encoder id only, and counts per id', () => {
    cache = EmbeddingCache.open(':memory:');
    const vectors = TEXTS.slice(0, 3).map((t) => hashVector(t, DIM));
    cache.put('enc@1', DIM, TEXTS.slice(0, 3), vectors);
    const got = cache.get('enc@1', [TEXTS[1], 'never seen', TEXTS[0]], DIM);
    expect(got).toEqual([vectors[1], undefined, vectors[0]]);
    expect(cache.get('enc@2', TEXTS.slice(0, 3))).toEqual([undefined, undefined, undefined]);
    expect([cache.count('enc@1'), cache.count('enc@2')]).toEqual([3, 0]);
  });

  it('rejects a dim that disagrees with what is cached for the encoder', () => {
    cache = EmbeddingCache.open(':memory:');
    cache.put('enc@1', DIM, ['a'], [hashVector('a', DIM)]);
    expect(() => cache!.put('enc@1', 4, ['b'], [hashVector('b', 4)])).toThrow(
      /:memory:: enc@1 has 6-dim vectors cached, but the encoder gives 4/,
    );
    expect(() => cache!.get('enc@1', ['a'], 4)).toThrow(
      /enc@1 has 6-dim vectors cached, but the encoder gives 4/,
    );
    expect(() => cache!.put('enc@1', DIM, ['b'], [hashVector('b', 5)])).toThrow(
      /vector 0 of enc@1 has 5 values, expected 6/,
    );
  });

  it('keeps vectors on disk across opens (WAL)', () => {
    const path = join(mkdtempSync(join(tmpdir(), 'tide-cache-')), 'e.db');
    const first = EmbeddingCache.open(path);
    first.put('enc@1', DIM, ['a'], [hashVector('a', DIM)]);
    first.close();
    cache = EmbeddingCache.open(path);
    expect(cache.get('enc@1', ['a'])[0]).toEqual(hashVector('a', DIM));
  });
});

describe('embedWithCache', () => {
  it('computes only the misses, counts hits at once in the progress, and keeps input order', async () => {
    cache = EmbeddingCache.open(':memory:');
    const encoder = new CountingEncoder(httpEncoder());
    await embedWithCache(encoder, cache, TEXTS.slice(0, 8));
    encoder.embedded = [];
    const progress = new RecordingProgress();
    const input = [...TEXTS, TEXTS[15]]; // a repeated text is computed once
    const result = await embedWithCache(encoder, cache, input, { batchSize: 5, progress });
    expect([result.cached, result.computed]).toEqual([8, 12]);
    expect(encoder.embedded).toEqual(TEXTS.slice(8));
    expect(progress.total).toBe(21);
    expect(progress.ticks).toEqual([8, 5, 6, 2]);
    expect(progress.last).toEqual({ cached: 8, computed: 12 });
    for (const [i, text] of input.entries()) expect(result.vectors[i]).toEqual(hashVector(text, DIM));
  });

  it('re-embeds everything when the encoder id changes (another model)', async () => {
    cache = EmbeddingCache.open(':memory:');
    await embedWithCache(httpEncoder('model-a'), cache, TEXTS);
    const other = new CountingEncoder(httpEncoder('model-b'));
    const result = await embedWithCache(other, cache, TEXTS);
    expect([result.cached, result.computed, other.embedded.length]).toEqual([0, 20, 20]);
    expect(cache.count(other.id)).toBe(20);
  });

  it('resumes after a crash: only the texts not yet cached are computed', async () => {
    const path = join(mkdtempSync(join(tmpdir(), 'tide-resume-')), 'e.db');
    const crashing = new CountingEncoder(httpEncoder(), undefined, 2);
    const first = EmbeddingCache.open(path);
    await expect(embedWithCache(crashing, first, TEXTS, { batchSize: 5 })).rejects.toThrow('simulated crash');
    first.close();
    expect(crashing.embedded).toEqual(TEXTS.slice(0, 10));

    cache = EmbeddingCache.open(path);
    const resumed = new CountingEncoder(httpEncoder());
    const result = await embedWithCache(resumed, cache, TEXTS, { batchSize: 5 });
    expect([result.cached, result.computed]).toEqual([10, 10]);
    expect(resumed.embedded).toEqual(TEXTS.slice(10));
    for (const [i, text] of TEXTS.entries()) expect(result.vectors[i]).toEqual(hashVector(text, DIM));
  });

  it('stops when the cache holds another dim for the same encoder id', async () => {
    cache = EmbeddingCache.open(':memory:');
    const encoder = httpEncoder();
    cache.put(encoder.id, 3, [TEXTS[0]], [new Float32Array(3)]);
    await expect(embedWithCache(encoder, cache, TEXTS)).rejects.toThrow(
      /has 3-dim vectors cached, but the encoder gives 6/,
    );
  });
});
