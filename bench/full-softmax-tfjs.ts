/**
 * The full-softmax training loss as Tide computed it before its SIMD cross-entropy kernel:
 * every elementwise step a tfjs op, the logits recomputed in the backward pass, the table's gradient
 * from a transposed product. Kept here, outside the library, as the baseline of bench/train-step.ts.
 */
import * as tf from '@tensorflow/tfjs';

/** A large negative logit: the padding column never wins. */
const MASKED = -1e9;

/** Rows of logits materialised at once by the full softmax: bounds its memory to ~CHUNK x items. */
const CHUNK_ROWS = 2048;

/**
 * Softmax cross-entropy over every item (the padding row can never win), computed in chunks of
 * rows with a hand-written gradient, so memory stays O(chunk x items) instead of
 * O(positions x items): [128 x 200] positions x 3,417 items would not fit the 4 GiB wasm heap.
 * d loss / d logits = (softmax - onehot) / rows, recomputed chunk by chunk in the backward pass.
 */
export function fullSoftmaxTfjs(
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
