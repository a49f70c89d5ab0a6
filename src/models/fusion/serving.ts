/** The fused model as serving needs it: config and plain-TypeScript encoder, no tfjs. */
import type { ServingFamily } from '../neural/network.js';
import { FusionConfig } from './config.js';
import { createFusionEncoder } from './inference.js';

export const fusionServing: ServingFamily<FusionConfig> = {
  name: 'tide',
  configSchema: FusionConfig as unknown as ServingFamily<FusionConfig>['configSchema'],
  createEncoder: (config, numItems, weights, options) =>
    createFusionEncoder(config, numItems, weights, options),
};
