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
  fused: async () => (await import('../fused/index.js')).fusedFamily as unknown as AnyFamily,
  facets: async () => (await import('../facets/index.js')).facetsFamily as unknown as AnyFamily,
};

/** What serving needs of each family (config and plain-TS encoder): loads no tfjs. */
const SERVING: Record<string, () => Promise<ServingFamily<{ maxLength: number }>>> = {
  sasrec: async () => (await import('../sasrec/serving.js')).sasRecServing as unknown as AnyServing,
  gru: async () => (await import('../rnn/serving.js')).rnnServing('gru') as unknown as AnyServing,
  lstm: async () => (await import('../rnn/serving.js')).rnnServing('lstm') as unknown as AnyServing,
  fused: async () => (await import('../fused/serving.js')).fusedServing as unknown as AnyServing,
  facets: async () => (await import('../facets/serving.js')).facetsServing as unknown as AnyServing,
};

/** Text-aware variants: the same family fed the items' text vectors (see NeuralRecommender). */
export const TEXT_AWARE_SUFFIX = '-text';
const TEXT_AWARE_BASES = ['sasrec', 'fused'];
for (const base of TEXT_AWARE_BASES) {
  FAMILIES[`${base}${TEXT_AWARE_SUFFIX}`] = FAMILIES[base];
  SERVING[`${base}${TEXT_AWARE_SUFFIX}`] = SERVING[base];
}

export const NEURAL_FAMILY_NAMES = Object.keys(FAMILIES);

/**
 * Former names, still read (saved models carry their family's name) and still accepted by
 * `--model`, with a warning; to be dropped in a later release.
 */
const DEPRECATED_NAMES: Readonly<Record<string, string>> = { tide: 'fused', 'tide-text': 'fused-text' };

/** The family's current name: a former one (`tide`) gives its new one (`fused`), said once. */
export function familyName(name: string): string {
  if (!Object.hasOwn(DEPRECATED_NAMES, name)) return name;
  const current = DEPRECATED_NAMES[name];
  if (!warnedNames.has(name)) {
    warnedNames.add(name);
    process.emitWarning(`the model family "${name}" is now called "${current}"`, 'DeprecationWarning');
  }
  return current;
}
const warnedNames = new Set<string>();

/** True for a neural family's name, current or former. */
export function isNeuralFamily(name: string): boolean {
  return Object.hasOwn(FAMILIES, name) || Object.hasOwn(DEPRECATED_NAMES, name);
}

export function neuralFamily(name: string): () => Promise<AnyFamily> {
  return known(FAMILIES, name);
}

/** The serving part of a family: what a saved model is scored with (no tfjs, no training code). */
export function servingFamily(name: string): () => Promise<AnyServing> {
  return known(SERVING, name);
}

function known<T>(table: Record<string, T>, given: string): T {
  const name = Object.hasOwn(DEPRECATED_NAMES, given) ? DEPRECATED_NAMES[given] : given;
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
