/** SASRec as serving needs it: config and plain-TypeScript encoder, no tfjs. */
import type { ServingFamily } from '../neural/network.js';
import { SasRecConfig } from './config.js';
import { createEncoder } from './inference.js';

export const sasRecServing: ServingFamily<SasRecConfig> = {
  name: 'sasrec',
  configSchema: SasRecConfig,
  createEncoder: (config, numItems, weights, options) => createEncoder(config, numItems, weights, options),
};
