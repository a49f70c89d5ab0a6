import * as tf from '@tensorflow/tfjs';
import type { NamedWeights } from './network.js';

/**
 * Trainable tfjs variables from named initial values (training side only). They are unnamed in
 * tfjs: its variable names are global, and two networks may coexist.
 *
 * @example
 * this.variables = variablesFrom(initialWeights(config, numItems, seed));
 */
export function variablesFrom(weights: NamedWeights): Map<string, tf.Variable> {
  const variables = new Map<string, tf.Variable>();
  for (const [name, { shape, data }] of weights) {
    variables.set(
      name,
      tf.tidy(() => tf.variable(tf.tensor(data, shape))),
    );
  }
  return variables;
}
