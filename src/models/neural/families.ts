import { TideError } from '../../core/errors.js';
import type { EncoderOptions, NeuralFamily } from './network.js';
import type { EncoderFactory } from './recommender.js';

type AnyFamily = NeuralFamily<{ maxLength: number }>;

/**
 * The neural families by name, loaded on first use so that commands that never train or score a
 * neural model never load tfjs.
 */
const FAMILIES: Record<string, () => Promise<AnyFamily>> = {
  sasrec: async () => (await import('../sasrec/index.js')).sasRecFamily as unknown as AnyFamily,
  gru: async () => (await import('../rnn/index.js')).gruFamily as unknown as AnyFamily,
  lstm: async () => (await import('../rnn/index.js')).lstmFamily as unknown as AnyFamily,
  tide: async () => (await import('../fusion/index.js')).fusionFamily as unknown as AnyFamily,
  facets: async () => (await import('../facets/index.js')).facetsFamily as unknown as AnyFamily,
};

/** Text-aware variants: the same family fed the items' text vectors (see NeuralRecommender). */
export const TEXT_AWARE_SUFFIX = '-text';
const TEXT_AWARE_BASES = ['sasrec', 'tide'];
for (const base of TEXT_AWARE_BASES) FAMILIES[`${base}${TEXT_AWARE_SUFFIX}`] = FAMILIES[base];

export const NEURAL_FAMILY_NAMES = Object.keys(FAMILIES);

export function neuralFamily(name: string): () => Promise<AnyFamily> {
  const load = FAMILIES[name];
  if (!load)
    throw new TideError(
      'CONFIG',
      `unknown neural family "${name}"; one of ${NEURAL_FAMILY_NAMES.join(', ')}`,
    );
  return load;
}

/** The plain-TS encoder of a saved model's family. */
export async function encoderFor(name: string, options: EncoderOptions = {}): Promise<EncoderFactory> {
  const family = await neuralFamily(name)();
  return (config, numItems, weights) =>
    family.createEncoder(family.configSchema.parse(config), numItems, weights, options);
}
