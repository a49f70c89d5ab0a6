import { z } from 'zod';
import { SasRecConfig } from '../sasrec/config.js';

/**
 * The fused long/short-term model. One SASRec reads the last maxLength events: its state after the
 * latest event is u_short; its state before the last `shortWindow` events, with the latest item
 * carried in, is u_long. Gate: a = sigmoid(k · [1 − cos(u_short, u_long); time since the previous
 * event; longest gap in the window; no event before the window] + b); u = a·u_short + (1 − a)·u_long.
 */
export const FusedConfig = z
  .object({
    longTerm: SasRecConfig.default(SasRecConfig.parse({})),
    /** The recent events: the long-term state is the one before them. */
    shortWindow: z.number().int().min(1).max(64).default(8),
    /** Initial gate bias: sigmoid(-2) = 0.12, so training starts close to the long-term state. */
    gateBiasInit: z.number().default(-2),
    /**
     * Loss charged per unit of mean a (nats): the short-term share must pay for itself, so the gate
     * opens where the recent events say more than the long-term state, not everywhere.
     */
    gatePrior: z.number().min(0).default(0),
  })
  .strict()
  .transform((config) => ({
    ...config,
    maxLength: config.longTerm.maxLength,
    useTimeGaps: config.longTerm.useTimeGaps,
    useTypes: config.longTerm.useTypes,
  }));
export type FusedConfig = z.infer<typeof FusedConfig>;
