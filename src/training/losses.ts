import * as tf from '@tensorflow/tfjs';
import type { Rng } from '../core/random.js';
import type { SequenceBatch, SequenceNetwork } from '../models/neural/network.js';
import type { TrainConfig } from './config.js';

/** A large negative logit for items that must not compete (padding, accidental hits). */
const MASKED = -1e9;

/** Positions of the batch that have a target, and those targets (item id + 1). */
function supervised(batch: SequenceBatch): { positions: Int32Array; targets: Int32Array } {
  const positions: number[] = [];
  for (let p = 0; p < batch.targets.length; p++) if (batch.targets[p] > 0) positions.push(p);
  return {
    positions: Int32Array.from(positions),
    targets: Int32Array.from(positions, (p) => batch.targets[p]),
  };
}

/**
 * The training loss of one batch, as configured. Only positions with a target count; each is
 * scored against the network's output table.
 */
export function batchLoss(
  network: SequenceNetwork,
  batch: SequenceBatch,
  config: TrainConfig,
  rng: Rng,
): tf.Scalar {
  const { positions, targets } = supervised(batch);
  const hidden = network.hidden(batch, true);
  const dim = hidden.shape[2];
  const h = tf.gather(hidden.reshape([batch.batchSize * batch.length, dim]), positions) as tf.Tensor2D;
  const table = network.outputTable();
  const bias = network.outputBias();
  if (config.loss === 'full-ce') return fullSoftmax(h, table, bias, targets);
  if (config.loss === 'sampled-ce') return sampledSoftmax(h, table, bias, targets, config.negatives, rng);
  return binaryWithNegatives(h, table, bias, targets, batch, positions, rng);
}

/** Rows of logits materialised at once by the full softmax: bounds its memory to ~CHUNK x items. */
const CHUNK_ROWS = 2048;

/**
 * Softmax cross-entropy over every item (the padding row can never win), computed in chunks of
 * rows with a hand-written gradient, so memory stays O(chunk x items) instead of
 * O(positions x items): [128 x 200] positions x 3,417 items would not fit the 4 GiB wasm heap.
 * d loss / d logits = (softmax - onehot) / rows, recomputed chunk by chunk in the backward pass.
 */
export function fullSoftmax(
  h: tf.Tensor2D,
  table: tf.Tensor2D,
  bias: tf.Tensor1D | null,
  targets: Int32Array,
  chunkRows = CHUNK_ROWS,
): tf.Scalar {
  const rows = targets.length;
  const columns = table.shape[0];
  const padding = new Float32Array(columns);
  padding[0] = MASKED;
  const shift = tf.tensor1d(padding);
  const offset = bias ? bias.add(shift) : shift;
  const chunks: { from: number; size: number }[] = [];
  for (let from = 0; from < rows; from += chunkRows)
    chunks.push({ from, size: Math.min(chunkRows, rows - from) });
  // Built inside each chunk's scope: tfjs disposes the loss function's tensors before backprop.
  const targetsOneHot = (chunk: (typeof chunks)[number]) =>
    tf.oneHot(tf.tensor1d(targets.subarray(chunk.from, chunk.from + chunk.size), 'int32'), columns);
  const logitsOf = (hv: tf.Tensor2D, tv: tf.Tensor2D, ov: tf.Tensor1D, chunk: (typeof chunks)[number]) =>
    tf.matMul(tf.slice(hv, [chunk.from, 0], [chunk.size, -1]), tv, false, true).add(ov);
  const loss = tf.customGrad((...args: (tf.Tensor | tf.GradSaveFunc)[]) => {
    const [hv, tv, ov, save] = args as [tf.Tensor2D, tf.Tensor2D, tf.Tensor1D, tf.GradSaveFunc];
    save([hv, tv, ov]);
    let total = tf.scalar(0);
    for (const chunk of chunks) {
      total = tf.tidy(() => {
        const logits = logitsOf(hv, tv, ov, chunk);
        const picked = tf.sum(logits.mul(targetsOneHot(chunk)), 1);
        return total.add(tf.logSumExp(logits, 1).sub(picked).sum());
      });
    }
    return {
      value: total.div(rows) as tf.Scalar,
      gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => {
        const [hs, ts, os] = saved as [tf.Tensor2D, tf.Tensor2D, tf.Tensor1D];
        const scale = dy.div(rows);
        const hGrads: tf.Tensor[] = [];
        let tGrad: tf.Tensor = tf.zerosLike(ts);
        let oGrad: tf.Tensor = tf.zerosLike(os);
        for (const chunk of chunks) {
          const [dh, dt, dOffset] = tf.tidy(() => {
            const logits = logitsOf(hs, ts, os, chunk);
            const dLogits = tf.softmax(logits).sub(targetsOneHot(chunk)).mul(scale);
            const hChunk = tf.slice(hs, [chunk.from, 0], [chunk.size, -1]);
            return [tf.matMul(dLogits, ts), tf.matMul(dLogits, hChunk, true, false), dLogits.sum(0)];
          });
          hGrads.push(dh);
          const [nextT, nextO] = [tGrad.add(dt), oGrad.add(dOffset)];
          tf.dispose([tGrad, oGrad, dt, dOffset]);
          [tGrad, oGrad] = [nextT, nextO];
        }
        return [tf.concat(hGrads, 0), tGrad, oGrad];
      },
    };
  })(h, table, offset) as tf.Scalar;
  return loss;
}

/**
 * Softmax over the target and `negatives` items drawn uniformly for the whole batch (shared
 * negatives); a negative that happens to be a row's target is masked out for that row.
 */
export function sampledSoftmax(
  h: tf.Tensor2D,
  table: tf.Tensor2D,
  bias: tf.Tensor1D | null,
  targets: Int32Array,
  negatives: number,
  rng: Rng,
): tf.Scalar {
  const rows = targets.length;
  const items = table.shape[0] - 1;
  const negativeIds = Int32Array.from({ length: negatives }, () => 1 + rng.below(items));
  const positive = h.mul(tf.gather(table, targets)).sum(1);
  let negativeLogits = tf.matMul(h, tf.gather(table, negativeIds), false, true);
  let positiveLogits = positive;
  if (bias) {
    positiveLogits = positiveLogits.add(tf.gather(bias, targets));
    negativeLogits = negativeLogits.add(tf.gather(bias, negativeIds));
  }
  const hits = new Float32Array(rows * negatives);
  for (let r = 0; r < rows; r++) {
    for (let n = 0; n < negatives; n++) if (negativeIds[n] === targets[r]) hits[r * negatives + n] = MASKED;
  }
  const logits = tf.concat(
    [positiveLogits.reshape([rows, 1]), negativeLogits.add(tf.tensor2d(hits, [rows, negatives]))],
    1,
  );
  const logProbs = tf.logSoftmax(logits);
  return tf.slice(logProbs, [0, 0], [rows, 1]).mean().neg() as tf.Scalar;
}

/**
 * SASRec's original loss: per position, binary cross-entropy of the target against one random
 * item the user never had in this window: softplus(-pos) + softplus(neg).
 */
function binaryWithNegatives(
  h: tf.Tensor2D,
  table: tf.Tensor2D,
  bias: tf.Tensor1D | null,
  targets: Int32Array,
  batch: SequenceBatch,
  positions: Int32Array,
  rng: Rng,
): tf.Scalar {
  const items = table.shape[0] - 1;
  const negativeIds = new Int32Array(targets.length);
  const seenByRow = new Map<number, Set<number>>();
  for (let k = 0; k < positions.length; k++) {
    const row = Math.floor(positions[k] / batch.length);
    let seen = seenByRow.get(row);
    if (!seen) {
      seen = new Set(batch.inputs.subarray(row * batch.length, (row + 1) * batch.length));
      seenByRow.set(row, seen);
    }
    let candidate = 1 + rng.below(items);
    while (seen.has(candidate) || candidate === targets[k]) candidate = 1 + rng.below(items);
    negativeIds[k] = candidate;
  }
  let positive = h.mul(tf.gather(table, targets)).sum(1);
  let negative = h.mul(tf.gather(table, negativeIds)).sum(1);
  if (bias) {
    positive = positive.add(tf.gather(bias, targets));
    negative = negative.add(tf.gather(bias, negativeIds));
  }
  return tf.softplus(positive.neg()).add(tf.softplus(negative)).mean() as tf.Scalar;
}
