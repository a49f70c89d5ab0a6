import { TideError } from '../core/errors.js';
import { TrainConfig } from '../training/config.js';
import { BiasConfig, BiasModel } from './bias/index.js';
import { ItemKnnConfig, ItemKnnModel } from './itemknn/index.js';
import { MarkovConfig, MarkovModel } from './markov/index.js';
import { BprConfig, BprModel } from './mf/index.js';
import type { Recommender } from './model.js';
import { NEURAL_FAMILY_NAMES, neuralFamily, TEXT_AWARE_SUFFIX } from './neural/families.js';
import { NeuralRecommender } from './neural/recommender.js';
import { PopConfig, PopularityModel } from './pop/index.js';
import { PopRecentConfig, RecentPopularityModel } from './pop-recent/index.js';
import { TextKnnConfig, TextKnnModel } from './textknn/index.js';

/** Every model family the CLI can build by name; configs are validated by each family's schema. */
const FACTORIES = {
  pop: (config: Record<string, unknown>) => new PopularityModel(PopConfig.parse(config)),
  'pop-recent': (config: Record<string, unknown>) => new RecentPopularityModel(PopRecentConfig.parse(config)),
  markov: (config: Record<string, unknown>) => new MarkovModel(MarkovConfig.parse(config)),
  itemknn: (config: Record<string, unknown>) => new ItemKnnModel(ItemKnnConfig.parse(config)),
  bpr: (config: Record<string, unknown>) => new BprModel(BprConfig.parse(config)),
  bias: (config: Record<string, unknown>) => new BiasModel(BiasConfig.parse(config)),
  'text-knn': (config: Record<string, unknown>) => new TextKnnModel(TextKnnConfig.parse(config)),
} satisfies Record<string, (config: Record<string, unknown>) => Recommender>;

export type ModelName = keyof typeof FACTORIES;
export const MODEL_NAMES = [...Object.keys(FACTORIES), ...NEURAL_FAMILY_NAMES];

/**
 * A neural model; config keys of TrainConfig (epochs, loss, learningRate...) go to training, the
 * rest to the family's network config.
 */
function createNeural(name: string, config: Record<string, unknown>): NeuralRecommender {
  const trainKeys = new Set(Object.keys(TrainConfig.shape));
  const training = Object.fromEntries(Object.entries(config).filter(([key]) => trainKeys.has(key)));
  const model = Object.fromEntries(Object.entries(config).filter(([key]) => !trainKeys.has(key)));
  const textAware = name.endsWith(TEXT_AWARE_SUFFIX);
  return new NeuralRecommender(name, neuralFamily(name), model, TrainConfig.parse(training), {}, textAware);
}

/**
 * @example
 * const model = createModel('itemknn', { neighbours: 100 });
 */
export function createModel(name: string, config: Record<string, unknown> = {}): Recommender {
  if (NEURAL_FAMILY_NAMES.includes(name)) return createNeural(name, config);
  if (!(name in FACTORIES)) {
    throw new TideError('CONFIG', `unknown model "${name}"; choose one of ${MODEL_NAMES.join(', ')}`);
  }
  return FACTORIES[name as ModelName](config);
}
