/**
 * Tide's fused long/short-term model: u = a·u_short + (1 − a)·u_long with the gate a learned from
 * both and the time since the previous event, and reported with every prediction.
 */
import type { NeuralFamily } from '../neural/network.js';
import type { FusionConfig } from './config.js';
import { FusionNetwork } from './network.js';
import { fusionServing } from './serving.js';

/**
 * @example
 * const model = createModel('tide', { shortWindow: 8, longTerm: { dim: 64 } });
 */
export const fusionFamily: NeuralFamily<FusionConfig> = {
  ...fusionServing,
  createNetwork: (config, numItems, seed, itemText) => new FusionNetwork(config, numItems, seed, itemText),
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
