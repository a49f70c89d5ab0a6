import { z } from 'zod';

/**
 * HNSW parameters. M = graph links per node (memory ~ 2·M·4 bytes per item at layer 0), efConstruction
 * = candidate list while linking (build time grows ~linearly), efSearch = candidate list per query
 * (the recall/latency dial, changeable at any time). M and efConstruction are hnswlib's own defaults.
 * On 1M × 64 clustered items (bench/vector-index.ts) efSearch 64 gives recall@10 0.978 and 128 gives
 * 0.997 at ~0.35 ms CPU per query; 128 keeps a margin for embeddings less clustered than the bench's.
 */
export const HNSW_DEFAULTS = { m: 16, efConstruction: 200, efSearch: 128, seed: 100 } as const;

/** Below this many items 'auto' picks exact search: brute force is exact and still well under 1 ms. */
export const EXACT_BELOW = 50_000;

/**
 * What `createVectorIndex` takes; HNSW fields are ignored by exact search.
 *
 * @example
 * VectorIndexConfig.parse({ kind: 'hnsw', dim: 64, efSearch: 64 }); // m 16, efConstruction 200, ...
 */
export const VectorIndexConfig = z
  .object({
    /** 'auto' = exact below `exactBelow` expected items, HNSW above. */
    kind: z.enum(['exact', 'hnsw', 'auto']).default('auto'),
    dim: z.number().int().positive(),
    /** Items the caller means to add: picks the kind for 'auto', and sizes the storage up front. */
    expectedItems: z.number().int().nonnegative().optional(),
    exactBelow: z.number().int().positive().default(EXACT_BELOW),
    m: z.number().int().min(2).max(100).default(HNSW_DEFAULTS.m),
    efConstruction: z.number().int().positive().default(HNSW_DEFAULTS.efConstruction),
    efSearch: z.number().int().positive().default(HNSW_DEFAULTS.efSearch),
    /** Seed of HNSW's level draws, for reproducible graphs. */
    seed: z.number().int().nonnegative().default(HNSW_DEFAULTS.seed),
  })
  .strict();
export type VectorIndexConfig = z.infer<typeof VectorIndexConfig>;
/** What `createVectorIndex` accepts: the config with its defaults optional. */
export type VectorIndexOptions = z.input<typeof VectorIndexConfig>;
