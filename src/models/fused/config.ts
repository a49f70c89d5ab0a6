import { z } from 'zod';
import { SasRecConfig } from '../sasrec/config.js';

/**
 * The fused long/short-term model. One SASRec reads the last maxLength events: its state after the
 * latest event is u_short; its state before the last `shortWindow` events, with the latest item
 * carried in, is u_long. Gate: a = sigmoid(k · [1 − cos(u_short, u_long); time since the previous
 * event; longest gap in the window; no event before the window] + b); u = a·u_short + (1 − a)·u_long.
 *
 * By default (`fromSasRec`) training has two stages in one run: the SASRec alone first, with the
 * run's settings and early stopping, then the fusion (carry, empty state, gate) for at most
 * `fusionEpochs` on its frozen layers, starting at a ≈ 0.98, the SASRec it came from.
 */
export const FusedConfig = z
  .object({
    longTerm: SasRecConfig.default(SasRecConfig.parse({})),
    /** The recent events: the long-term state is the one before them. */
    shortWindow: z.number().int().min(1).max(64).default(8),
    /**
     * Train the SASRec first and the fusion on its frozen layers (false: everything at once, from
     * scratch). Trained at once, the fused model scored below its SASRec (the demo world: 0.415
     * against 0.423); on ML-1M the two stages kept SASRec's 0.1782 (0.1786).
     */
    fromSasRec: z.boolean().default(true),
    /** Epochs of the fusion stage, at most (early stopping with the run's patience). */
    fusionEpochs: z.number().int().positive().default(4),
    /**
     * Initial gate bias. Unset: 4 on a trained SASRec (a = sigmoid(4) ≈ 0.98, that SASRec's state), -2
     * from scratch (a ≈ 0.12, close to the long-term state).
     */
    gateBiasInit: z.number().optional(),
    /**
     * Loss charged per unit of mean a (nats): the short-term share must pay for itself, so the gate
     * opens where the recent events say more than the long-term state, not everywhere.
     */
    gatePrior: z.number().min(0).default(0),
  })
  .strict()
  .transform((config) => ({
    ...config,
    gateBiasInit: config.gateBiasInit ?? (config.fromSasRec ? 4 : -2),
    maxLength: config.longTerm.maxLength,
    useTimeGaps: config.longTerm.useTimeGaps,
    useTypes: config.longTerm.useTypes,
  }));
export type FusedConfig = z.infer<typeof FusedConfig>;
