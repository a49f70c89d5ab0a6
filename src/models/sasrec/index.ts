/**
 * SASRec (Kang & McAuley 2018, as pmixer/SASRec.pytorch): causal self-attention over the last maxLength
 * events, scored against the item embedding it reads (tied, no output bias). Trained with tfjs, served
 * in plain TypeScript.
 */
import type { NeuralFamily } from '../neural/network.js';
import type { SasRecConfig } from './config.js';
import { SasRecNetwork } from './network.js';
import { sasRecServing } from './serving.js';

/**
 * The SASRec family for `NeuralRecommender`.
 *
 * @example
 * const config = sasRecFamily.configSchema.parse({ dim: 50, maxLength: 50 });
 * const network = sasRecFamily.createNetwork(config, numItems, 42); // after await initBackend()
 * const encoder = sasRecFamily.createEncoder(config, numItems, savedWeights);
 */
export const sasRecFamily: NeuralFamily<SasRecConfig> = {
  ...sasRecServing,
  createNetwork: (config, numItems, seed, itemText) => new SasRecNetwork(config, numItems, seed, itemText),
  withTextDim: (config, textDim) => ({ ...config, textDim }),
};

export { parseSasRecConfig, SasRecConfig } from './config.js';
export { createEncoder } from './inference.js';
export { SasRecNetwork } from './network.js';
export { initialWeights, type WeightSpec, weightSpecs } from './weights.js';
