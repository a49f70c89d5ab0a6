/** The fused model as serving needs it: config and plain-TypeScript encoder, no tfjs. */
import type { ServingFamily } from '../neural/network.js';
import { FusedConfig } from './config.js';
import { createFusedEncoder } from './inference.js';

export const fusedServing: ServingFamily<FusedConfig> = {
  name: 'fused',
  configSchema: FusedConfig as unknown as ServingFamily<FusedConfig>['configSchema'],
  createEncoder: (config, numItems, weights, options) =>
    createFusedEncoder(config, numItems, weights, options),
};
