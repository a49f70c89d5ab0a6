/**
 * Tide's fused long/short-term model: u = a·u_short + (1 − a)·u_long with the gate a learned from
 * both and the time since the previous event, and reported with every prediction.
 */
import type { NeuralFamily } from '../neural/network.js';
import { sasRecFamily } from '../sasrec/index.js';
import type { FusedConfig } from './config.js';
import { FusedNetwork } from './network.js';
import { fusedServing } from './serving.js';

/**
 * @example
 * const model = createModel('fused', { shortWindow: 8, longTerm: { dim: 64 } });
 */
export const fusedFamily: NeuralFamily<FusedConfig> = {
  ...fusedServing,
  createNetwork: (config, numItems, seed, itemText) => new FusedNetwork(config, numItems, seed, itemText),
  // maxLength, useTimeGaps and useTypes are lifted from longTerm by the schema, not inputs to it
  storedConfig: ({ longTerm, shortWindow, fromSasRec, fusionEpochs, gateBiasInit }) => ({
    longTerm,
    shortWindow,
    fromSasRec,
    fusionEpochs,
    gateBiasInit,
  }),
  foundation: (config) =>
    config.fromSasRec
      ? {
          family: sasRecFamily as unknown as NeuralFamily<{ maxLength: number }>,
          config: config.longTerm,
          epochs: config.fusionEpochs,
        }
      : null,
  withTextDim: (config, textDim) => ({
    ...config,
    longTerm: { ...((config.longTerm as Record<string, unknown> | undefined) ?? {}), textDim },
  }),
};

export { FusedConfig } from './config.js';
export { createFusedEncoder } from './inference.js';
export { FusedNetwork } from './network.js';
