import * as tf from '@tensorflow/tfjs';
import { Rng } from '../core/random.js';
import type { SequenceCorpus } from '../data/corpus.js';
import type { SequenceNetwork } from '../models/neural/network.js';
import { epochBatches, trainingBatch, trainingWindows, windowIds } from './batches.js';

export interface StateSampling {
  maxLength: number;
  /** The same input features the network was trained with (and is served with). */
  withTimeGaps: boolean;
  withTypes: boolean;
  /** Positions sampled per user. */
  positionsPerUser: number;
  seed: number;
}

/**
 * The frozen network's hidden state before sampled events of each user's last window (what the
 * model would have answered just before them), for heads fitted on top of it. `keep` chooses which
 * corpus positions may be sampled (e.g. those with a rating).
 *
 * @example
 * const { states, positions, dim } = sampledStates(network, corpus, sampling, (p) => !Number.isNaN(values[p]));
 */
export function sampledStates(
  network: SequenceNetwork,
  corpus: SequenceCorpus,
  sampling: StateSampling,
  keep: (position: number) => boolean,
): { states: Float32Array; positions: Int32Array; dim: number } {
  const rng = new Rng(sampling.seed);
  const states: number[] = [];
  const positions: number[] = [];
  let dim = 0;
  const batchOptions = {
    maxLength: sampling.maxLength,
    batchSize: 128,
    withTimeGaps: sampling.withTimeGaps,
    withTypes: sampling.withTypes,
  };
  const windows = trainingWindows(corpus, sampling.maxLength, 'last');
  for (const ids of epochBatches(windowIds(windows), 128, sampling.seed, 0)) {
    const batch = trainingBatch(corpus, windows, ids, batchOptions);
    const hidden = tf.tidy(() => network.hidden(batch, false));
    dim = hidden.shape[2];
    const values = hidden.dataSync() as Float32Array;
    hidden.dispose();
    ids.forEach((w, row) => {
      // the row's targets are right-aligned and end at the window's end
      const candidates: [number, number][] = [];
      for (let t = 0; t < batch.length; t++) {
        const cell = row * batch.length + t;
        if (batch.targets[cell] <= 0) continue;
        const position = windows.ends[w] - (batch.length - t);
        if (keep(position)) candidates.push([cell, position]);
      }
      for (const [cell, position] of rng.shuffle(candidates).slice(0, sampling.positionsPerUser)) {
        for (let d = 0; d < dim; d++) states.push(values[cell * dim + d]);
        positions.push(position);
      }
    });
  }
  return { states: Float32Array.from(states), positions: Int32Array.from(positions), dim };
}
