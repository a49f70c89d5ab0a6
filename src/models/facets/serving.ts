/** The facets model as serving needs it: config and plain-TypeScript encoder, no tfjs. */
import type { ServingFamily } from '../neural/network.js';
import { FacetsConfig } from './config.js';
import { createFacetsEncoder } from './inference.js';

export const facetsServing: ServingFamily<FacetsConfig> = {
  name: 'facets',
  configSchema: FacetsConfig,
  createEncoder: (config, numItems, weights, options) =>
    createFacetsEncoder(config, numItems, weights, options),
};
