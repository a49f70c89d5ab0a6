/**
 * Ops whose tfjs 4.22 form breaks in backprop, rewritten from ops whose gradients work on every backend.
 * Each one names the failure it avoids; `safe-ops.test.ts` keeps the failures on record.
 */
import * as tf from '@tensorflow/tfjs';

/**
 * log(sigmoid(x)) as -softplus(-x). `tf.logSigmoid`'s gradient throws
 * ("Cannot read properties of undefined (reading 'backend')") when x is an intermediate tensor.
 *
 * @example
 * const bprLoss = tf.neg(tf.mean(logSigmoid(tf.sub(positiveScores, negativeScores))));
 */
export function logSigmoid<T extends tf.Tensor>(x: T): T {
  return tf.tidy(() => tf.neg(tf.softplus(tf.neg(x))));
}

/**
 * `x [..., K] x w [K, N] -> [..., N]` as one 2-D product: the leading dimensions are folded into the rows.
 * `tf.matMul(x3d, w2d)` broadcasts instead, and its gradient for `w` then throws (see `matMulBroadcast`);
 * the folded form also stays on XNNPACK's fast single-matrix path.
 *
 * @example
 * const hidden = matMulLastAxis(embeddedSequence, inputWeights); // [B, T, d] x [d, 3h] -> [B, T, 3h]
 */
export function matMulLastAxis(x: tf.Tensor, w: tf.Tensor2D): tf.Tensor {
  return tf.tidy(() => {
    const [inner, outer] = w.shape;
    const leading = x.shape.slice(0, -1);
    const rows = tf.reshape(x, [-1, inner]);
    return tf.reshape(tf.matMul(rows, w), [...leading, outer]);
  });
}

/**
 * Batched `matMul` whose batch dimensions broadcast, with a gradient of the right shape. In tfjs 4.22
 * the `BatchMatMul` gradient does not sum over broadcast batch dimensions, so
 * `tf.grad(a => tf.matMul(a, b))` with a [1, M, K] and b [B, K, N] throws
 * "The gradient of input 'a' has shape 'B,M,K'". Expanding both operands with `tf.broadcastTo` first
 * (whose gradient does sum) avoids it at the cost of one copy of the smaller operand.
 *
 * @example
 * const scores = matMulBroadcast(sharedQuery, keys, false, true); // [1, T, d] x [B, T, d]^T -> [B, T, T]
 */
export function matMulBroadcast(
  a: tf.Tensor,
  b: tf.Tensor,
  transposeA = false,
  transposeB = false,
): tf.Tensor {
  return tf.tidy(() => {
    const batchShape = tf.broadcast_util.assertAndGetBroadcastShape(
      a.shape.slice(0, -2),
      b.shape.slice(0, -2),
    );
    const aFull = tf.broadcastTo(a, [...batchShape, ...a.shape.slice(-2)]);
    const bFull = tf.broadcastTo(b, [...batchShape, ...b.shape.slice(-2)]);
    return tf.matMul(aFull, bFull, transposeA, transposeB);
  });
}

/**
 * `x[b, positions[b], ...]` for each row b: `x [B, T, ...]`, `positions` int32 [B] -> `[B, ...]`.
 * Picks the last real step of each padded sequence. `tf.gatherND` would do it but has no gradient in
 * tfjs 4.22 ("gradient function not found for GatherNd"); this is one `tf.gather` on the flattened rows.
 *
 * @example
 * const lastHidden = gatherAtPositions(hiddenStates, tf.sub(lengths, 1)); // [B, T, h] -> [B, h]
 */
export function gatherAtPositions(x: tf.Tensor, positions: tf.Tensor1D): tf.Tensor {
  return tf.tidy(() => {
    const [batch, steps, ...rest] = x.shape;
    if (positions.shape[0] !== batch) {
      throw new Error(`gatherAtPositions: ${positions.shape[0]} positions for a batch of ${batch}`);
    }
    const rowStarts = tf.mul(tf.range(0, batch, 1, 'int32'), tf.scalar(steps, 'int32'));
    const flatRows = tf.add(rowStarts, tf.cast(positions, 'int32'));
    return tf.gather(tf.reshape(x, [batch * steps, ...rest]), flatRows);
  });
}
