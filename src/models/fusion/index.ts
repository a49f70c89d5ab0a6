/**
 * Tide's fused long/short-term model: u = a·u_short + (1 − a)·u_long with the gate a learned from
 * both and the time since the previous event, and reported with every prediction.
 */
import type { NeuralFamily } from '../neural/network.js';
import { FusionConfig } from './config.js';
import { createFusionEncoder } from './inference.js';
import { FusionNetwork } from './network.js';

/**
 * @example
 * const model = createModel('tide', { shortWindow: 8, longTerm: { dim: 64 } });
 */
export const fusionFamily: NeuralFamily<FusionConfig> = {
  name: 'tide',
  configSchema: FusionConfig as unknown as NeuralFamily<FusionConfig>['configSchema'],
  createNetwork: (config, numItems, seed, itemText) => new FusionNetwork(config, numItems, seed, itemText),
  createEncoder: (config, numItems, weights, options) =>
    createFusionEncoder(config, numItems, weights, options),
  // maxLength, useTimeGaps and useTypes are lifted from longTerm by the schema, not inputs to it
  storedConfig: ({ longTerm, shortWindow, gateBiasInit }) => ({ longTerm, shortWindow, gateBiasInit }),
  withTextDim: (config, textDim) => ({
    ...config,
    longTerm: { ...((config.longTerm as Record<string, unknown> | undefined) ?? {}), textDim },
  }),
};

export { FusionConfig } from './config.js';
export { createFusionEncoder } from './inference.js';
export { FusionNetwork } from './network.js';
