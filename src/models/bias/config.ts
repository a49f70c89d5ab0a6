import { z } from 'zod';

export const BiasConfig = z
  .object({
    /** Shrinks item biases of rarely rated items towards 0. */
    itemDamping: z.number().min(0).default(25),
    /** Shrinks user biases of users with few ratings towards 0. */
    userDamping: z.number().min(0).default(10),
    /** Alternating refinement rounds of item then user biases. */
    rounds: z.number().int().positive().default(3),
  })
  .strict();
export type BiasConfig = z.infer<typeof BiasConfig>;
