/** The names of the models the CLI builds, known without loading any of them (or tfjs). */
import { NEURAL_FAMILY_NAMES } from './neural/families.js';

export const BASELINE_NAMES = [
  'pop',
  'pop-recent',
  'markov',
  'itemknn',
  'bpr',
  'bias',
  'mf',
  'text-knn',
] as const;
export type BaselineName = (typeof BASELINE_NAMES)[number];

/** Every model `createModel` builds by name: the baselines, then the neural families. */
export const MODEL_NAMES: readonly string[] = [...BASELINE_NAMES, ...NEURAL_FAMILY_NAMES];
