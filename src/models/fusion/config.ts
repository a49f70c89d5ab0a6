import { z } from 'zod';
import { SasRecConfig } from '../sasrec/config.js';

/**
 * The fused long/short-term model. Long-term: SASRec over the whole window (up to maxLength
 * events). Short-term: attention over the last `shortWindow` events, queried by the long-term
 * state. Gate: a = sigmoid(w · [u_short; u_long; time gap] + b); u = a·u_short + (1 − a)·u_long.
 */
export const FusionConfig = z
  .object({
    longTerm: SasRecConfig.default(SasRecConfig.parse({})),
    /** Events the short-term attention reads. */
    shortWindow: z.number().int().min(1).max(64).default(8),
    /** Initial gate bias: sigmoid(-2) = 0.12, so training starts close to the long-term model. */
    gateBiasInit: z.number().default(-2),
  })
  .strict()
  .transform((config) => ({
    ...config,
    maxLength: config.longTerm.maxLength,
    useTimeGaps: config.longTerm.useTimeGaps,
    useTypes: config.longTerm.useTypes,
  }));
export type FusionConfig = z.infer<typeof FusionConfig>;
