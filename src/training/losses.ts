import * as tf from '@tensorflow/tfjs';
import type { Rng } from '../core/random.js';
import type { SequenceBatch, SequenceNetwork } from '../models/neural/network.js';
import { type ChunkCrossEntropy, heapCrossEntropy } from '../nn/tfjs-overrides/index.js';
import { type SoftmaxCrossEntropy, softmaxCrossEntropyKernel } from '../nn/wasm/kernels.js';
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
 * scored against the network's output table. `full` computes the full softmax (bench/train-step.ts
 * passes the previous implementation, its baseline).
 */
export function batchLoss(
  network: SequenceNetwork,
  batch: SequenceBatch,
  config: TrainConfig,
  rng: Rng,
  full: typeof fullSoftmax = fullSoftmax,
): tf.Scalar {
  const { positions, targets } = supervised(batch);
  const hidden = network.hidden(batch, true);
  const dim = hidden.shape[2];
  const h = tf.gather(hidden.reshape([batch.batchSize * batch.length, dim]), positions) as tf.Tensor2D;
  const table = network.outputTable();
  const bias = network.outputBias();
  const auxiliary = network.auxiliaryLoss?.() ?? null;
  const loss =
    config.loss === 'full-ce'
      ? full(h, table, bias, targets)
      : config.loss === 'sampled-ce'
        ? sampledSoftmax(h, table, bias, targets, config.negatives, rng)
        : binaryWithNegatives(h, table, bias, targets, batch, positions, rng);
  return auxiliary ? loss.add(auxiliary) : loss;
}

/** Rows of logits materialised at once by the full softmax: bounds its memory to ~CHUNK x items. */
const CHUNK_ROWS = 2048;

/** The SIMD inner loop of the copying route, made on first use (it holds a memory of its own). */
let crossEntropyRows: SoftmaxCrossEntropy | undefined;

/**
 * The chunk cross-entropy off the wasm heap (another backend, or no SIMD): each chunk's logits are read
 * out, turned into the gradient by the kernel (SIMD in a memory of its own, or scalar), and made into
 * two new tensors.
 */
function copyingCrossEntropy(bias: tf.Tensor1D, scale: number): ChunkCrossEntropy {
  crossEntropyRows ??= softmaxCrossEntropyKernel();
  const crossEntropy = crossEntropyRows;
  const columns = bias.shape[0];
  const biasValues = bias.dataSync() as Float32Array;
  const columnSums = new Float32Array(columns);
  return {
    chunk(logits, targets) {
      const rows = targets.length;
      const values = logits.dataSync() as Float32Array;
      logits.dispose();
      const transposed = new Float32Array(rows * columns);
      const lossSum = crossEntropy(values, targets, columns, scale, biasValues, columnSums, transposed);
      const grad = tf.tensor2d(values, [rows, columns]);
      return { lossSum, grad, gradT: tf.tensor2d(transposed, [columns, rows]) };
    },
    biasGrad: () => tf.tensor1d(columnSums),
  };
}

/**
 * Softmax cross-entropy over every item (the padding row can never win), with a hand-written gradient.
 * Rows go in chunks, so memory stays O(chunk x items) instead of O(positions x items): [128 x 200]
 * positions x 3,417 items would not fit the 4 GiB wasm heap. Each chunk's logits come from one
 * product, then one SIMD pass (in place on the wasm heap; on other backends through copies) turns them
 * into the loss and d loss / d logits = (softmax - onehot) / rows (also transposed), from which the
 * gradients of h, the table and the bias are taken at once and kept for the backward pass: the logits
 * are never recomputed, and no product has a transposed operand (tfjs-wasm's stock kernel runs those
 * fastest).
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
  const loss = tf.customGrad((...args: (tf.Tensor | tf.GradSaveFunc)[]) => {
    const [hv, tv, bv, save] = args as [tf.Tensor2D, tf.Tensor2D, tf.Tensor1D, tf.GradSaveFunc];
    const crossEntropy = heapCrossEntropy(bv, 1 / rows) ?? copyingCrossEntropy(bv, 1 / rows);
    const tableT = tf.transpose(tv);
    const hGrads: tf.Tensor[] = [];
    let tableGrad: tf.Tensor = tf.zeros(tv.shape);
    let total = 0;
    for (let from = 0; from < rows; from += chunkRows) {
      const size = Math.min(chunkRows, rows - from);
      const hChunk = tf.slice(hv, [from, 0], [size, -1]);
      const chunkTargets = targets.subarray(from, from + size);
      const { lossSum, grad, gradT } = crossEntropy.chunk(tf.matMul(hChunk, tableT), chunkTargets);
      total += lossSum;
      hGrads.push(tf.matMul(grad, tv));
      const next = tf.tidy(() => tableGrad.add(tf.matMul(gradT, hChunk)));
      tf.dispose([hChunk, grad, gradT, tableGrad]);
      tableGrad = next;
    }
    const grads = [tf.concat(hGrads, 0), tableGrad, crossEntropy.biasGrad()];
    tf.dispose([tableT, ...hGrads]);
    // tfjs disposes the loss function's tensors before backprop: the gradients travel as saved tensors
    save(grads);
    return {
      value: tf.scalar(total / rows),
      gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => saved.map((grad) => grad.mul(dy)),
    };
  })(h, table, bias ?? tf.zeros([columns])) as tf.Scalar;
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
