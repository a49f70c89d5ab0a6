import type { EmbeddingCache } from './cache.js';
import { embedWithCache } from './embed-with-cache.js';
import type { TextEncoder } from './encoder.js';

/**
 * The encoder with every call going through the cache: texts embedded before (by this encoder id)
 * are read back instead of computed.
 *
 * @example
 * const encoder = withCache(await createTextEncoder(), EmbeddingCache.open('tide-embeddings.db'));
 */
export function withCache(encoder: TextEncoder, cache: EmbeddingCache): TextEncoder {
  return {
    id: encoder.id,
    dim: encoder.dim,
    embed: async (texts) => (await embedWithCache(encoder, cache, texts)).vectors,
  };
}
