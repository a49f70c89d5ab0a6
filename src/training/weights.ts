import * as tf from '@tensorflow/tfjs';
import type { NamedWeights, SequenceNetwork } from '../models/neural/network.js';

/** Copies every variable's current values out of tfjs. */
export function readWeights(network: SequenceNetwork): NamedWeights {
  const out: NamedWeights = new Map();
  for (const [name, variable] of network.variables) {
    out.set(name, {
      shape: [...variable.shape],
      data: Float32Array.from(variable.dataSync() as Float32Array),
    });
  }
  return out;
}

/** Sets variables from saved values; every variable must be present with its shape. */
export function writeWeights(network: SequenceNetwork, weights: NamedWeights): void {
  for (const [name, variable] of network.variables) {
    const saved = weights.get(name);
    if (!saved || saved.shape.join('x') !== variable.shape.join('x')) {
      throw new Error(`weight "${name}" is missing or has another shape than [${variable.shape.join(', ')}]`);
    }
    tf.tidy(() => variable.assign(tf.tensor(saved.data, saved.shape)));
  }
}

/**
 * Sets the variables that `weights` holds under the same name and shape; returns their names.
 *
 * @example
 * const copied = writeMatchingWeights(fusedNetwork, sasrecWeights); // the shared layers
 */
export function writeMatchingWeights(network: SequenceNetwork, weights: NamedWeights): string[] {
  const copied: string[] = [];
  for (const [name, variable] of network.variables) {
    const saved = weights.get(name);
    if (!saved || saved.shape.join('x') !== variable.shape.join('x')) continue;
    tf.tidy(() => variable.assign(tf.tensor(saved.data, saved.shape)));
    copied.push(name);
  }
  return copied;
}

/** The scored table and bias, exported so that inference needs no family-specific names. */
export function readOutputLayer(network: SequenceNetwork): {
  table: Float32Array;
  bias: Float32Array | null;
  dim: number;
} {
  const table = network.outputTable();
  const bias = network.outputBias();
  const out = {
    table: Float32Array.from(table.dataSync() as Float32Array),
    bias: bias ? Float32Array.from(bias.dataSync() as Float32Array) : null,
    dim: table.shape[1],
  };
  // The table may be a variable itself (tied embeddings): dispose only derived tensors.
  for (const t of [table, bias]) if (t && !(t instanceof tf.Variable)) t.dispose();
  return out;
}
