import { z } from 'zod';
import { SasRecConfig } from '../sasrec/config.js';

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
    /** Event types as an input: the SASRec's under the facets (taken from it); the facets alone read none. */
    useTypes: z.boolean().default(false),
    /**
     * Give each facet a learned recency rate λ_k in [0, RECENCY_MAX]: item s of the window weighs
     * exp(a_s,k + λ_k · s), so a facet can follow the latest events (short-term) or the whole
     * history (long-term). Without it a facet is an order-free mean of the history: on ML-1M it
     * stalled at validation NDCG@10 0.048, below the last-item Markov chain.
     */
    recency: z.boolean().default(true),
    /**
     * How positions mix the facets while training. `hard` (ComiRec): each position uses the facet
     * closest to the item that came next, so facets specialise, but training then optimises another
     * mix than the context weights that serve. `soft`: the context weights, as served; more accurate,
     * but the facets collapse into one another. `mixed`: half of each.
     */
    routing: z.enum(['hard', 'soft', 'mixed']).default('hard'),
    /**
     * A SASRec under the facets (null: none; a new model trained without this key gets one, see
     * facetsFamily.trainingDefaults, while a saved config without it had none). Its state after the latest event joins the K facets
     * as one more component of the mix (the last one: what the latest events say), the facets pool
     * its item embeddings, and the context weights read its state instead of the latest item. Its
     * width, window and inputs are the model's (`dim`, `maxLength` and `useTimeGaps` are taken from it).
     */
    sasrec: SasRecConfig.nullable().default(null),
    /**
     * With a SASRec: train it first, with the run's settings, then the facets on its frozen layers
     * for at most `facetEpochs` (false: everything at once).
     */
    fromSasRec: z.boolean().default(true),
    facetEpochs: z.number().int().positive().default(4),
  })
  .strict()
  // on a SASRec, the batches carry what it reads, and the weights read the gap when it does
  .transform((config) =>
    config.sasrec
      ? {
          ...config,
          dim: config.sasrec.dim,
          maxLength: config.sasrec.maxLength,
          useTimeGaps: config.sasrec.useTimeGaps,
          useTypes: config.sasrec.useTypes,
        }
      : config,
  );
export type FacetsConfig = z.infer<typeof FacetsConfig>;

/** Components of the mix: the K facets, and the SASRec's state now when there is one. */
export function mixComponents(config: FacetsConfig): number {
  return config.facets + (config.sasrec ? 1 : 0);
}

/** Saved-weight names, shared by training and inference. */
export const FACET_WEIGHTS = {
  items: 'item_embedding',
  attentionKernel: 'facets/attention/kernel',
  attentionBias: 'facets/attention/bias',
  attentionOut: 'facets/attention/out',
  gateKernel: 'facets/gate/kernel',
  gateBias: 'facets/gate/bias',
  recency: 'facets/recency',
} as const;

/**
 * How far below its facet's maximum a position's attention logit may fall before exp: the causal
 * sums over a prefix that does not reach the maximum would otherwise underflow to 0 / 0 once the
 * logits spread (a long ML-1M history diverged to NaN that way). e^-30 keeps the sums and the
 * squares in their gradients inside float32, and changes a weight by less than 1e-11 of the largest.
 */
export const LOGIT_FLOOR = -30;

/** The largest recency rate: a half-life of ln 2 / 0.15 ≈ 4.6 events; λ · maxLength stays far from exp underflow. */
export const RECENCY_MAX = 0.15;

/** λ_k = RECENCY_MAX · sigmoid(ρ_k), from the saved raw values ρ. */
export function recencyRates(raw: Float32Array): Float32Array {
  return Float32Array.from(raw, (r) => RECENCY_MAX / (1 + Math.exp(-r)));
}
