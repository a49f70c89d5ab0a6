/**
 * Top-k retrieval by inner product for the online engine: exact brute force for catalogues like
 * ML-1M, HNSW (hnswlib) for large ones, behind one small interface.
 */
import { TideError } from '../../core/errors.js';
import { validate } from '../../core/validate.js';
import { VectorIndexConfig, type VectorIndexOptions } from './config.js';
import { ExactIndex } from './exact.js';
import { HnswIndex } from './hnsw.js';
import type { VectorIndex } from './vector-index.js';

export { EXACT_BELOW, HNSW_DEFAULTS, VectorIndexConfig, type VectorIndexOptions } from './config.js';
export { ExactIndex } from './exact.js';
export { HnswIndex, type HnswOptions } from './hnsw.js';
export type { IdFilter, SearchHits, VectorIndex } from './vector-index.js';

/**
 * An empty index of the kind asked for. 'auto' (the default) needs `expectedItems` and picks exact
 * search below `exactBelow` (50,000) items, HNSW from there on.
 *
 * @example
 * const index = createVectorIndex({ dim: 64, expectedItems: catalog.size }); // exact for ML-1M
 * index.add(itemIds, itemsRowMajor);
 * const { ids, scores } = index.search(userVector, 10);
 */
export function createVectorIndex(options: VectorIndexOptions): VectorIndex {
  const config = validate(VectorIndexConfig, options, 'vector index config');
  let kind = config.kind;
  if (kind === 'auto') {
    if (config.expectedItems === undefined) {
      throw new TideError('CONFIG', "vector index config: kind 'auto' needs expectedItems to choose", {
        file: 'vector index config',
        field: 'expectedItems',
      });
    }
    kind = config.expectedItems < config.exactBelow ? 'exact' : 'hnsw';
  }
  if (kind === 'exact') return new ExactIndex(config.dim, config.expectedItems ?? 0);
  return new HnswIndex(config.dim, {
    m: config.m,
    efConstruction: config.efConstruction,
    efSearch: config.efSearch,
    capacity: config.expectedItems ?? 1024,
    seed: config.seed,
  });
}
