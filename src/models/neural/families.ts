import { TideError } from '../../core/errors.js';
import type { EncoderOptions, NeuralFamily, ServingFamily } from './network.js';
import type { EncoderFactory } from './recommender.js';

type AnyFamily = NeuralFamily<{ maxLength: number }>;
type AnyServing = ServingFamily<{ maxLength: number }>;

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

/** What serving needs of each family (config and plain-TS encoder): loads no tfjs. */
const SERVING: Record<string, () => Promise<ServingFamily<{ maxLength: number }>>> = {
  sasrec: async () => (await import('../sasrec/serving.js')).sasRecServing as unknown as AnyServing,
  gru: async () => (await import('../rnn/serving.js')).rnnServing('gru') as unknown as AnyServing,
  lstm: async () => (await import('../rnn/serving.js')).rnnServing('lstm') as unknown as AnyServing,
  tide: async () => (await import('../fusion/serving.js')).fusionServing as unknown as AnyServing,
  facets: async () => (await import('../facets/serving.js')).facetsServing as unknown as AnyServing,
};

/** Text-aware variants: the same family fed the items' text vectors (see NeuralRecommender). */
export const TEXT_AWARE_SUFFIX = '-text';
const TEXT_AWARE_BASES = ['sasrec', 'tide'];
for (const base of TEXT_AWARE_BASES) {
  FAMILIES[`${base}${TEXT_AWARE_SUFFIX}`] = FAMILIES[base];
  SERVING[`${base}${TEXT_AWARE_SUFFIX}`] = SERVING[base];
}

export const NEURAL_FAMILY_NAMES = Object.keys(FAMILIES);

export function neuralFamily(name: string): () => Promise<AnyFamily> {
  return known(FAMILIES, name);
}

/** The serving part of a family: what a saved model is scored with (no tfjs, no training code). */
export function servingFamily(name: string): () => Promise<AnyServing> {
  return known(SERVING, name);
}

function known<T>(table: Record<string, T>, name: string): T {
  const entry = Object.hasOwn(table, name) ? table[name] : undefined;
  if (entry === undefined)
    throw new TideError(
      'CONFIG',
      `unknown neural family "${name}"; one of ${NEURAL_FAMILY_NAMES.join(', ')}`,
    );
  return entry;
}

/** The plain-TS encoder of a saved model's family. */
export async function encoderFor(name: string, options: EncoderOptions = {}): Promise<EncoderFactory> {
  const family = await servingFamily(name)();
  return (config, numItems, weights) =>
    family.createEncoder(family.configSchema.parse(config), numItems, weights, options);
}
