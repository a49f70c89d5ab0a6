import * as tf from '@tensorflow/tfjs';
import type { SequenceCorpus } from '../data/corpus.js';
import { CATEGORY_BIAS, CATEGORY_KERNEL, type CategoryVocabulary } from '../models/neural/category-head.js';
import type { NamedWeights, SequenceNetwork } from '../models/neural/network.js';
import { type StateSampling, sampledStates } from './sampled-states.js';

export interface CategoryHeadOptions extends StateSampling {
  steps: number;
}

/**
 * Fits P(c | u) = softmax(u · W + b) on frozen user representations: the network's hidden state
 * at sampled positions, labelled with the categories of the item that came next (spread evenly
 * over an item's categories). Frozen, so the head can never hurt item ranking.
 */
export function fitCategoryHead(
  network: SequenceNetwork,
  corpus: SequenceCorpus,
  vocabulary: CategoryVocabulary,
  options: CategoryHeadOptions,
): NamedWeights {
  const categories = vocabulary.names.length;
  const categoriesAt = (position: number) => vocabulary.ofItem[corpus.items[position]];
  const { states, positions, dim } = sampledStates(
    network,
    corpus,
    options,
    (position) => categoriesAt(position).length > 0,
  );
  const n = positions.length;
  const labels = new Float32Array(n * categories);
  positions.forEach((position, k) => {
    const cats = categoriesAt(position);
    for (const c of cats) labels[k * categories + c] = 1 / cats.length;
  });
  const x = tf.tensor2d(states, [n, dim]);
  const y = tf.tensor2d(labels, [n, categories]);
  const kernel = tf.variable(tf.zeros([dim, categories]));
  const bias = tf.variable(tf.zeros([categories]));
  const optimizer = tf.train.adam(0.01);
  for (let step = 0; step < options.steps; step++) {
    optimizer.minimize(
      () => tf.losses.softmaxCrossEntropy(y, tf.matMul(x, kernel).add(bias)) as tf.Scalar,
      false,
      [kernel, bias],
    );
  }
  const out: NamedWeights = new Map([
    [
      CATEGORY_KERNEL,
      { shape: [dim, categories], data: Float32Array.from(kernel.dataSync() as Float32Array) },
    ],
    [CATEGORY_BIAS, { shape: [categories], data: Float32Array.from(bias.dataSync() as Float32Array) }],
  ]);
  tf.dispose([x, y, kernel, bias]);
  optimizer.dispose();
  return out;
}
