/**
 * The recurrent sequence families: GRU4Rec-style GRU (`gruFamily`) and its LSTM variant (`lstmFamily`),
 * trained with teacher forcing over left-padded windows, served in plain TypeScript.
 */
import type { NeuralFamily } from '../neural/network.js';
import type { RnnCell, RnnConfig } from './config.js';
import { RnnNetwork } from './network.js';
import { rnnServing } from './serving.js';

function family(cell: RnnCell): NeuralFamily<RnnConfig> {
  return {
    ...rnnServing(cell),
    createNetwork: (config, numItems, seed) => new RnnNetwork({ ...config, cell }, numItems, seed),
  };
}

/**
 * GRU4Rec (Hidasi et al.): item embedding -> GRU layer(s) -> scores against an output table + bias.
 *
 * @example
 * const config = gruFamily.configSchema.parse({ hiddenDim: 100 });
 * const network = gruFamily.createNetwork(config, numItems, 42); // after await initBackend()
 */
export const gruFamily: NeuralFamily<RnnConfig> = family('gru');

/**
 * The same model with LSTM cells (forget-gate bias starting at 1).
 *
 * @example
 * const encoder = lstmFamily.createEncoder(config, numItems, savedWeights);
 */
export const lstmFamily: NeuralFamily<RnnConfig> = family('lstm');

export { parseRnnConfig, type RnnCell, RnnConfig, rnnConfigSchema } from './config.js';
export {
  createEncoder,
  createRecurrentStepper,
  type RecurrentStepper,
  type StepperOptions,
} from './inference.js';
export { RnnNetwork } from './network.js';
export { initialWeights, type WeightSpec, weightSpecs } from './weights.js';
