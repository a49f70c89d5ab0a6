import { z } from 'zod';

/**
 * Interest facets (multi-interest extraction in the ComiRec-SA style): K interest vectors per user,
 * each an attention pooling of the history's item embeddings with its own learned attention,
 * combined with weights that depend on the context (the current item and the time gap).
 */
export const FacetsConfig = z
  .object({
    maxLength: z.number().int().positive().default(200),
    dim: z.number().int().positive().default(64),
    /** Number of interest facets K. */
    facets: z.number().int().min(1).max(16).default(4),
    /** Hidden width of each facet's attention scorer. */
    attentionDim: z.number().int().positive().default(64),
    dropout: z.number().min(0).lt(1).default(0.2),
    /** Feed log1p(seconds since the previous event) to the facet weights. */
    useTimeGaps: z.boolean().default(false),
  })
  .strict();
export type FacetsConfig = z.infer<typeof FacetsConfig>;

/** Saved-weight names, shared by training and inference. */
export const FACET_WEIGHTS = {
  items: 'item_embedding',
  attentionKernel: 'facets/attention/kernel',
  attentionBias: 'facets/attention/bias',
  attentionOut: 'facets/attention/out',
  gateKernel: 'facets/gate/kernel',
  gateBias: 'facets/gate/bias',
} as const;
