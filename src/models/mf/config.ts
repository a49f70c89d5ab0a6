import { z } from 'zod';

export const BprConfig = z
  .object({
    dim: z.number().int().positive().default(64),
    epochs: z.number().int().positive().default(30),
    learningRate: z.number().positive().default(0.05),
    /** L2 penalty on the factors and biases touched by each update. */
    regularization: z.number().min(0).default(0.002),
    /** Standard deviation of the initial factors. */
    initScale: z.number().positive().default(0.05),
    seed: z.number().int().default(42),
  })
  .strict();
export type BprConfig = z.infer<typeof BprConfig>;

export const RatingMfConfig = z
  .object({
    dim: z.number().int().positive().default(32),
    epochs: z.number().int().positive().default(25),
    learningRate: z.number().positive().default(0.007),
    /** L2 penalty on the factors and biases touched by each update. */
    regularization: z.number().min(0).default(0.05),
    /** Standard deviation of the initial factors. */
    initScale: z.number().positive().default(0.05),
    seed: z.number().int().default(42),
  })
  .strict();
export type RatingMfConfig = z.infer<typeof RatingMfConfig>;
