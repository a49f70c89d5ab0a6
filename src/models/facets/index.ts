/**
 * Interest facets: K interest vectors per user, combined with context-dependent weights that come
 * back with every prediction (`facet k` diagnostics, `lastFacets()` on the encoder).
 */
import type { NeuralFamily } from '../neural/network.js';
import { sasRecFamily } from '../sasrec/index.js';
import type { FacetsConfig } from './config.js';
import { FacetsNetwork } from './network.js';
import { facetsServing } from './serving.js';

/**
 * @example
 * const model = createModel('facets', { facets: 4, dim: 64 });
 */
export const facetsFamily: NeuralFamily<FacetsConfig> = {
  ...facetsServing,
  createNetwork: (config, numItems, seed, itemText) => new FacetsNetwork(config, numItems, seed, itemText),
  // on a SASRec unless told `"sasrec": null`; a width, window or input given is the SASRec's
  trainingDefaults: (config) => {
    if (Object.hasOwn(config, 'sasrec')) return config;
    const given = ['dim', 'maxLength', 'useTimeGaps', 'useTypes'].filter((key) => config[key] !== undefined);
    return { ...config, sasrec: Object.fromEntries(given.map((key) => [key, config[key]])) };
  },
  foundation: (config) =>
    config.sasrec && config.fromSasRec
      ? {
          family: sasRecFamily as unknown as NeuralFamily<{ maxLength: number }>,
          config: config.sasrec,
          epochs: config.facetEpochs,
        }
      : null,
};

export { FacetsConfig } from './config.js';
export { createFacetsEncoder, type FacetsEncoder } from './inference.js';
export { FacetsNetwork } from './network.js';
