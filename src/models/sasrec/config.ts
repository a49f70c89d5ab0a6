import { z } from 'zod';
import { validate } from '../../core/validate.js';

/** Rows of the event-type embedding: padding + the six `EVENT_TYPES` (row = type code + 1). */
export const TYPE_ROWS = 7;

/**
 * SASRec (Kang & McAuley 2018) as in pmixer/SASRec.pytorch: pre-LN self-attention blocks over a
 * left-padded window, scored against the (tied) item embedding.
 *
 * @example
 * const config = SasRecConfig.parse({ dim: 50, maxLength: 50 });
 */
export const SasRecConfig = z
  .object({
    /** Only the last maxLength events of a history are read; also the rows of the position table. */
    maxLength: z.number().int().positive().default(200),
    dim: z.number().int().positive().default(64),
    /** Self-attention blocks. */
    blocks: z.number().int().min(1).max(16).default(2),
    /** Attention heads; must divide dim. */
    heads: z.number().int().positive().default(1),
    /** Rate on the input embedding, the attention weights and both feed-forward layers. */
    dropout: z.number().min(0).lt(1).default(0.2),
    layerNormEps: z.number().positive().default(1e-8),
    /**
     * How the weights start: `glorot` (uniform, as pmixer/SASRec.pytorch) or `normal` (N(0, 0.02) for the
     * embeddings, the feed-forward and attention-output kernels, as the SASRec+ reference and BERT).
     */
    init: z.enum(['glorot', 'normal']).default('glorot'),
    /** Add a learned [dim] vector times log1p(seconds since the previous event) to the input. */
    useTimeGaps: z.boolean().default(false),
    /** Add an event-type embedding [7, dim] to the input. */
    useTypes: z.boolean().default(false),
    /**
     * Width of the items' text vectors (0 = ID embeddings only). When set, an item's embedding is
     * E_id[i] + T[i] · P with T the fixed text vectors and P [textDim, dim] learned, so an item with
     * no interactions still has a representation: T[i] · P.
     */
    textDim: z.number().int().min(0).default(0),
    /** With text: the share of input positions whose ID embedding is dropped, so the text part must carry them. */
    idDropout: z.number().min(0).lt(1).default(0.25),
  })
  .strict()
  .refine((config) => config.dim % config.heads === 0, {
    path: ['heads'],
    message: 'must divide dim',
  });
export type SasRecConfig = z.infer<typeof SasRecConfig>;

/**
 * Parses a SASRec config, throwing a `TideError('CONFIG')` whose message and `location.field` name the
 * first offending field.
 *
 * @example
 * parseSasRecConfig({ dim: 64, heads: 3 }); // throws "sasrec config: heads: must divide dim"
 */
export function parseSasRecConfig(input: unknown): SasRecConfig {
  return validate(SasRecConfig, input ?? {}, 'sasrec config');
}
