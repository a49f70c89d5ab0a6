import { z } from 'zod';

export const PopConfig = z.object({}).strict();
export type PopConfig = z.infer<typeof PopConfig>;
