import { TideError } from '../core/errors.js';
import { type ProgressReporter, silentProgress } from '../core/progress.js';
import type { EmbeddingCache } from './cache.js';
import type { TextEncoder } from './encoder.js';

/**
 * Options of `embedWithCache`.
 *
 * @example
 * const options: EmbedWithCacheOptions = { batchSize: 64, progress: new TerminalProgress(), label: 'titles' };
 */
export interface EmbedWithCacheOptions {
  /** Texts per `encoder.embed` call; each batch is written to the cache as soon as it is done. */
  batchSize?: number;
  progress?: ProgressReporter;
  /** Label of the progress bar. */
  label?: string;
}

/**
 * What `embedWithCache` returns.
 *
 * @example
 * const { vectors, cached, computed }: EmbedWithCacheResult = await embedWithCache(encoder, cache, texts);
 */
export interface EmbedWithCacheResult {
  /** One vector per input text, in input order. */
  vectors: Float32Array[];
  /** Texts answered from the cache. */
  cached: number;
  /** Distinct texts the encoder computed (a text repeated in the input is computed once). */
  computed: number;
}

/**
 * Embeds `texts`, computing only those the cache lacks under `encoder.id`. Each batch goes into
 * the cache as soon as it is computed, so a run that is interrupted resumes where it stopped.
 * Progress counts texts: cache hits at once, then each computed batch.
 *
 * @example
 * const cache = EmbeddingCache.open('tide-embeddings.db');
 * const { vectors, cached, computed } = await embedWithCache(encoder, cache, titles, { progress });
 */
export async function embedWithCache(
  encoder: TextEncoder,
  cache: EmbeddingCache,
  texts: readonly string[],
  { batchSize = 128, progress = silentProgress, label = 'embed' }: EmbedWithCacheOptions = {},
): Promise<EmbedWithCacheResult> {
  if (!Number.isInteger(batchSize) || batchSize < 1) {
    throw new TideError('CONFIG', `embedWithCache: batchSize must be a positive integer, got ${batchSize}`);
  }
  progress.start(label, texts.length);
  const found = cache.get(encoder.id, texts, encoder.dim);
  const vectors = new Array<Float32Array>(texts.length);
  // The positions of each text still to compute, in first-seen order.
  const missing = new Map<string, number[]>();
  let cached = 0;
  found.forEach((vector, i) => {
    if (vector) {
      vectors[i] = vector;
      cached++;
    } else {
      const positions = missing.get(texts[i]);
      if (positions) positions.push(i);
      else missing.set(texts[i], [i]);
    }
  });
  progress.tick(cached, { cached, computed: 0 });
  const todo = [...missing.keys()];
  for (let from = 0; from < todo.length; from += batchSize) {
    const batch = todo.slice(from, from + batchSize);
    const computed = await encoder.embed(batch);
    if (computed.length !== batch.length) {
      throw new TideError(
        'STORAGE',
        `${encoder.id} returned ${computed.length} vectors for ${batch.length} texts`,
      );
    }
    cache.put(encoder.id, encoder.dim, batch, computed);
    let filled = 0;
    batch.forEach((text, k) => {
      for (const position of missing.get(text) ?? []) {
        vectors[position] = computed[k];
        filled++;
      }
    });
    progress.tick(filled, { cached, computed: from + batch.length });
  }
  progress.done({ cached, computed: todo.length });
  return { vectors, cached, computed: todo.length };
}
