/** Every model by name, built with its config and, for the neural families, its training config. */
import { TideError } from '../core/errors.js';
import { validate } from '../core/validate.js';
import { BiasConfig, BiasModel } from '../models/bias/index.js';
import { ItemKnnConfig, ItemKnnModel } from '../models/itemknn/index.js';
import { MarkovConfig, MarkovModel } from '../models/markov/index.js';
import { BprConfig, BprModel, RatingMfConfig, RatingMfModel } from '../models/mf/index.js';
import type { Recommender } from '../models/model.js';
import { type BaselineName, MODEL_NAMES } from '../models/names.js';
import { familyName, isNeuralFamily, neuralFamily, TEXT_AWARE_SUFFIX } from '../models/neural/families.js';
import { NeuralRecommender } from '../models/neural/recommender.js';
import { PopConfig, PopularityModel } from '../models/pop/index.js';
import { PopRecentConfig, RecentPopularityModel } from '../models/pop-recent/index.js';
import { TextKnnConfig, TextKnnModel } from '../models/textknn/index.js';
import { splitTrainingKeys, TrainConfig } from './config.js';
import { neuralTrainer } from './neural-trainer.js';

type Factory = (config: Record<string, unknown>, what: string) => Recommender;

/**
 * Every baseline the CLI can build by name; configs are validated by each model's schema, and a
 * bad one is one line naming the model and the key (`pop config: "epochs" is not a setting ...`).
 */
const FACTORIES: Record<BaselineName, Factory> = {
  pop: (config, what) => new PopularityModel(validate(PopConfig, config, what)),
  'pop-recent': (config, what) => new RecentPopularityModel(validate(PopRecentConfig, config, what)),
  markov: (config, what) => new MarkovModel(validate(MarkovConfig, config, what)),
  itemknn: (config, what) => new ItemKnnModel(validate(ItemKnnConfig, config, what)),
  bpr: (config, what) => new BprModel(validate(BprConfig, config, what)),
  bias: (config, what) => new BiasModel(validate(BiasConfig, config, what)),
  mf: (config, what) => new RatingMfModel(validate(RatingMfConfig, config, what)),
  'text-knn': (config, what) => new TextKnnModel(validate(TextKnnConfig, config, what)),
};

export type ModelName = BaselineName;
export { MODEL_NAMES };

/**
 * A neural model; config keys of TrainConfig (epochs, loss, learningRate...) go to training, the
 * rest to the family's network config.
 */
function createNeural(name: string, config: Record<string, unknown>): NeuralRecommender {
  const { training, network: model } = splitTrainingKeys(config);
  const textAware = name.endsWith(TEXT_AWARE_SUFFIX);
  const trainConfig = validate(TrainConfig, training, `${name} training config`);
  return new NeuralRecommender({
    name,
    family: neuralFamily(name),
    config: model,
    trainer: neuralTrainer(trainConfig),
    textAware,
  });
}

/**
 * @example
 * const model = createModel('itemknn', { neighbours: 100 });
 */
export function createModel(name: string, config: Record<string, unknown> = {}): Recommender {
  if (isNeuralFamily(name)) return createNeural(familyName(name), config);
  if (!Object.hasOwn(FACTORIES, name)) {
    throw new TideError('CONFIG', `unknown model "${name}"; choose one of ${MODEL_NAMES.join(', ')}`);
  }
  return FACTORIES[name as BaselineName](config, `${name} config`);
}
