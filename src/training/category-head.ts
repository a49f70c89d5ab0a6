import * as tf from '@tensorflow/tfjs';
import { Rng } from '../core/random.js';
import type { SequenceCorpus } from '../data/corpus.js';
import { CATEGORY_BIAS, CATEGORY_KERNEL, type CategoryVocabulary } from '../models/neural/category-head.js';
import type { NamedWeights, SequenceNetwork } from '../models/neural/network.js';
import { epochBatches, trainingBatch, trainingWindows, windowIds } from './batches.js';

export interface CategoryHeadOptions {
  maxLength: number;
  /** The same input features the network was trained with (and is served with). */
  withTimeGaps: boolean;
  withTypes: boolean;
  /** Positions sampled per user to fit on. */
  positionsPerUser: number;
  steps: number;
  seed: number;
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
  const rng = new Rng(options.seed);
  const features: number[] = [];
  const labels: number[] = [];
  const categories = vocabulary.names.length;
  let dim = 0;
  const batchOptions = {
    maxLength: options.maxLength,
    batchSize: 128,
    withTimeGaps: false,
    withTypes: false,
  };
  const windows = trainingWindows(corpus, options.maxLength, 'last');
  for (const ids of epochBatches(windowIds(windows), 128, options.seed, 0)) {
    const batch = trainingBatch(corpus, windows, ids, batchOptions);
    const hidden = tf.tidy(() => network.hidden(batch, false));
    dim = hidden.shape[2];
    const values = hidden.dataSync() as Float32Array;
    hidden.dispose();
    for (let row = 0; row < batch.batchSize; row++) {
      const positions: number[] = [];
      for (let t = 0; t < batch.length; t++) {
        const target = batch.targets[row * batch.length + t];
        if (target > 0 && vocabulary.ofItem[target - 1].length > 0) positions.push(row * batch.length + t);
      }
      for (const p of rng.shuffle(positions).slice(0, options.positionsPerUser)) {
        for (let d = 0; d < dim; d++) features.push(values[p * dim + d]);
        const label = new Array<number>(categories).fill(0);
        const cats = vocabulary.ofItem[batch.targets[p] - 1];
        for (const c of cats) label[c] = 1 / cats.length;
        labels.push(...label);
      }
    }
  }
  const n = labels.length / categories;
  const x = tf.tensor2d(features, [n, dim]);
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
