/** The recurrent families as serving needs them: config and plain-TypeScript encoder, no tfjs. */
import type { ServingFamily } from '../neural/network.js';
import { type RnnCell, type RnnConfig, rnnConfigSchema } from './config.js';
import { createEncoder } from './inference.js';

export function rnnServing(cell: RnnCell): ServingFamily<RnnConfig> {
  return {
    name: cell,
    configSchema: rnnConfigSchema(cell),
    createEncoder: (config, numItems, weights, options) =>
      createEncoder({ ...config, cell }, numItems, weights, options),
  };
}
