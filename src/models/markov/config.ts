import { z } from 'zod';

export const MarkovConfig = z
  .object({
    /** Break ties between equal transition counts by popularity (as the shared anchors do). */
    popularityTieBreak: z.boolean().default(true),
  })
  .strict();
export type MarkovConfig = z.infer<typeof MarkovConfig>;
