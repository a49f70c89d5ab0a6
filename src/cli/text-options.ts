import { TideError } from '../core/errors.js';
import type { Dataset } from '../data/dataset.js';
import type { FitData } from '../models/model.js';
import { EmbeddingCache } from '../text/cache.js';
import { embedWithCache } from '../text/embed-with-cache.js';
import { createTextEncoder } from '../text/encoder.js';
import { itemText } from '../text/item-text.js';
import type { Flags } from './flags.js';
import { TerminalProgress } from './progress-bar.js';

/** Flags of commands that feed item text vectors to models. */
export const TEXT_FLAGS = {
  text: { type: 'string' },
  'text-cache': { type: 'string' },
} as const;

export const TEXT_HELP = `  --text use-lite        embed each item's text (title, categories...) for text-aware models
                         (sasrec-text, fused-text) and the text-knn baseline
  --text-cache <file>    embedding cache (default ./tide-embeddings.db); cached texts are not re-embedded`;

/**
 * The data set's item text vectors (dense item order) when --text is given, through the cache.
 *
 * @example
 * const itemText = await itemTextFromFlags(flags, dataset); // undefined without --text
 */
export async function itemTextFromFlags(flags: Flags, dataset: Dataset): Promise<FitData['itemText']> {
  const provider = flags.string('text');
  if (provider === undefined) return undefined;
  if (provider !== 'use-lite')
    throw new TideError(
      'CONFIG',
      `--text: only use-lite is wired here so far, got "${provider}" (see tide embed)`,
    );
  const encoder = await createTextEncoder({ provider });
  const cache = EmbeddingCache.open(flags.string('text-cache') ?? './tide-embeddings.db');
  try {
    const texts = dataset.itemIds.ids().map((id) => itemText(dataset.catalog.get(id) ?? { itemId: id }));
    const { vectors } = await embedWithCache(encoder, cache, texts, {
      progress: new TerminalProgress(),
      label: 'embed items',
    });
    const packed = new Float32Array(vectors.length * encoder.dim);
    for (const [i, vector] of vectors.entries()) packed.set(vector, i * encoder.dim);
    return { dim: encoder.dim, vectors: packed, encoderId: encoder.id };
  } finally {
    cache.close();
  }
}
