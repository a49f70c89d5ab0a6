import { z } from 'zod';

/**
 * The text-only nearest-neighbour baseline: the user is the mean text vector of their last `recent`
 * items; items rank by cosine similarity of their text to it. Unknown keys are ignored (a shared
 * --model-config may carry training keys for the neural models beside it).
 *
 * @example
 * const config = TextKnnConfig.parse({ recent: 5 });
 */
export const TextKnnConfig = z.object({
  /** How many of the latest history items make the user's text profile. */
  recent: z.number().int().positive().default(10),
});
export type TextKnnConfig = z.infer<typeof TextKnnConfig>;
