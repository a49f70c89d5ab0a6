import { TideError } from '../core/errors.js';
import { BiasConfig, BiasModel } from './bias/index.js';
import { ItemKnnConfig, ItemKnnModel } from './itemknn/index.js';
import { MarkovConfig, MarkovModel } from './markov/index.js';
import { BprConfig, BprModel } from './mf/index.js';
import type { Recommender } from './model.js';
import { PopConfig, PopularityModel } from './pop/index.js';

/** Every model family the CLI can build by name; configs are validated by each family's schema. */
const FACTORIES = {
  pop: (config: Record<string, unknown>) => new PopularityModel(PopConfig.parse(config)),
  markov: (config: Record<string, unknown>) => new MarkovModel(MarkovConfig.parse(config)),
  itemknn: (config: Record<string, unknown>) => new ItemKnnModel(ItemKnnConfig.parse(config)),
  bpr: (config: Record<string, unknown>) => new BprModel(BprConfig.parse(config)),
  bias: (config: Record<string, unknown>) => new BiasModel(BiasConfig.parse(config)),
} satisfies Record<string, (config: Record<string, unknown>) => Recommender>;

export type ModelName = keyof typeof FACTORIES;
export const MODEL_NAMES = Object.keys(FACTORIES) as ModelName[];

/**
 * @example
 * const model = createModel('itemknn', { neighbours: 100 });
 */
export function createModel(name: string, config: Record<string, unknown> = {}): Recommender {
  if (!(name in FACTORIES)) {
    throw new TideError('CONFIG', `unknown model "${name}"; choose one of ${MODEL_NAMES.join(', ')}`);
  }
  return FACTORIES[name as ModelName](config);
}
