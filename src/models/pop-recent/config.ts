import { z } from 'zod';

/** Window lengths (days) `pop-recent` tries on the validation cases when `days` is "auto". */
export const POP_RECENT_CANDIDATE_DAYS: readonly number[] = [1, 3, 7, 14, 30, 60, 90, 180, 365];

export const PopRecentConfig = z
  .object({
    /** Count the events of the last `days` before the latest training event; "auto" tunes it on validation. */
    days: z.union([z.number().positive(), z.literal('auto')]).default('auto'),
  })
  .strict();
export type PopRecentConfig = z.infer<typeof PopRecentConfig>;
