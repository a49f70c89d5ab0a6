/**
 * Interest facets: K interest vectors per user, combined with context-dependent weights that come
 * back with every prediction (`facet k` diagnostics, `lastFacets()` on the encoder).
 */
import type { NeuralFamily } from '../neural/network.js';
import type { FacetsConfig } from './config.js';
import { FacetsNetwork } from './network.js';
import { facetsServing } from './serving.js';

/**
 * @example
 * const model = createModel('facets', { facets: 4, dim: 64 });
 */
export const facetsFamily: NeuralFamily<FacetsConfig> = {
  ...facetsServing,
  createNetwork: (config, numItems, seed) => new FacetsNetwork(config, numItems, seed),
};

export { FacetsConfig } from './config.js';
export { createFacetsEncoder, type FacetsEncoder } from './inference.js';
export { FacetsNetwork } from './network.js';
