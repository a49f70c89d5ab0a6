import { readFile } from 'node:fs/promises';
import { z } from 'zod';
import { TideError } from '../core/errors.js';
import { validate } from '../core/validate.js';
import { PreprocessConfig } from '../data/preprocess.js';

/** Everything a Tide run can be configured with; each part has its defaults. */
export const TideConfig = z
  .object({
    preprocess: PreprocessConfig.default(PreprocessConfig.parse({})),
    /** Replace user ids with keyed HMACs at ingest. */
    pseudonymise: z.boolean().default(false),
    /** The HMAC key; prefer TIDE_PSEUDONYM_KEY in the environment over writing it in a file. */
    pseudonymKey: z.string().min(16).optional(),
    seed: z.number().int().default(42),
    /** Per model family, config overrides, e.g. {"bpr": {"epochs": 50}}. */
    models: z.record(z.string(), z.record(z.string(), z.unknown())).default({}),
  })
  .strict();
export type TideConfig = z.infer<typeof TideConfig>;

/**
 * Loads config in the order file -> TIDE_* environment; command-line flags are applied by the caller.
 * Recognised variables: TIDE_PSEUDONYM_KEY, TIDE_SEED.
 *
 * @example
 * const config = await loadConfig('tide.config.json');
 */
export async function loadConfig(path?: string, env: NodeJS.ProcessEnv = process.env): Promise<TideConfig> {
  let fromFile: unknown = {};
  if (path) {
    let text: string;
    try {
      text = await readFile(path, 'utf8');
    } catch (cause) {
      throw new TideError('CONFIG', `${path}: cannot read config file`, { file: path }, { cause });
    }
    try {
      fromFile = JSON.parse(text);
    } catch (cause) {
      throw new TideError('CONFIG', `${path}: not valid JSON (${(cause as Error).message})`, { file: path });
    }
  }
  const merged = { ...(fromFile as Record<string, unknown>) };
  if (env.TIDE_PSEUDONYM_KEY) merged.pseudonymKey = env.TIDE_PSEUDONYM_KEY;
  if (env.TIDE_SEED) merged.seed = Number(env.TIDE_SEED);
  return validate(TideConfig, merged, path ?? 'config');
}
