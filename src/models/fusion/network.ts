import * as tf from '@tensorflow/tfjs';
import { Rng } from '../../core/random.js';
import type { ItemTextVectors, NamedWeights, SequenceBatch, SequenceNetwork } from '../neural/network.js';
import { SasRecNetwork } from '../sasrec/network.js';
import type { FusionConfig } from './config.js';
import { FUSION_WEIGHTS, shortTermMask } from './shared.js';

/**
 * Training side of the fused model: SASRec's hidden states are the long-term interest; a
 * band-limited attention over the last shortWindow item embeddings, with a learned bias per
 * distance, is the short-term one; a per-position gate mixes them.
 */
export class FusionNetwork implements SequenceNetwork {
  readonly variables: ReadonlyMap<string, tf.Variable>;
  private readonly longTerm: SasRecNetwork;

  constructor(
    private readonly config: FusionConfig,
    numItems: number,
    seed: number,
    itemText?: ItemTextVectors,
  ) {
    this.longTerm = new SasRecNetwork(config.longTerm, numItems, seed, itemText);
    const d = config.longTerm.dim;
    const rng = new Rng(seed ^ 0x5bd1e995);
    const glorot = (fanIn: number, fanOut: number) => {
      const limit = Math.sqrt(6 / (fanIn + fanOut));
      return Float32Array.from({ length: fanIn * fanOut }, () => (rng.next() * 2 - 1) * limit);
    };
    const own = new Map<string, tf.Variable>([
      [FUSION_WEIGHTS.query, tf.variable(tf.tensor2d(glorot(d, d), [d, d]))],
      [FUSION_WEIGHTS.key, tf.variable(tf.tensor2d(glorot(d, d), [d, d]))],
      [FUSION_WEIGHTS.value, tf.variable(tf.tensor2d(glorot(d, d), [d, d]))],
      [FUSION_WEIGHTS.distanceBias, tf.variable(tf.zeros([config.shortWindow]))],
      [FUSION_WEIGHTS.gateKernel, tf.variable(tf.tensor2d(glorot(2 * d + 1, 1), [2 * d + 1, 1]))],
      [FUSION_WEIGHTS.gateBias, tf.variable(tf.fill([1], config.gateBiasInit))],
    ]);
    this.variables = new Map([...this.longTerm.variables, ...own]);
  }

  hidden(batch: SequenceBatch, training: boolean): tf.Tensor3D {
    const { batchSize: B, length: L } = batch;
    const d = this.config.longTerm.dim;
    const w = this.config.shortWindow;
    return tf.tidy(() => {
      const longTerm = this.longTerm.hidden(batch, training);
      const v = (name: string) => this.variables.get(name)!;
      const uLong = longTerm.reshape([B * L, d]);
      const items = tf.gather(this.longTerm.outputTable(), tf.tensor1d(batch.inputs, 'int32'));
      const query = tf.matMul(uLong, v(FUSION_WEIGHTS.query)).reshape([B, L, d]);
      const keys = tf.matMul(items, v(FUSION_WEIGHTS.key)).reshape([B, L, d]);
      const values = tf.matMul(items, v(FUSION_WEIGHTS.value)).reshape([B, L, d]);
      // distance bias: entry (t, i) of the band reads distanceBias[t - i]; outside the band, index w
      // points at a constant -1e9 appended to the table (masked)
      const { distance, padding } = shortTermMask(batch.inputs, B, L, w);
      const biasTable = tf.concat([v(FUSION_WEIGHTS.distanceBias), tf.tensor1d([0])]);
      const bias = tf.gather(biasTable, tf.tensor1d(distance, 'int32')).reshape([1, L, L]);
      const scores = tf
        .matMul(query, keys, false, true)
        .div(Math.sqrt(d))
        .add(bias)
        .add(tf.tensor3d(padding, [B, L, L]));
      const uShort = tf.matMul(tf.softmax(scores), values).reshape([B * L, d]);
      const gapValues = this.config.useTimeGaps && batch.timeGaps ? batch.timeGaps : new Float32Array(B * L);
      const gaps = tf.tensor2d(gapValues, [B * L, 1]);
      const gate = tf.sigmoid(
        tf
          .matMul(tf.concat([uShort, uLong, gaps], 1), v(FUSION_WEIGHTS.gateKernel))
          .add(v(FUSION_WEIGHTS.gateBias)),
      );
      const fused = gate.mul(uShort).add(tf.scalar(1).sub(gate).mul(uLong));
      return fused.reshape([B, L, d]) as tf.Tensor3D;
    });
  }

  inferenceWeights(weights: NamedWeights): void {
    this.longTerm.inferenceWeights(weights);
  }

  outputTable(): tf.Tensor2D {
    return this.longTerm.outputTable();
  }

  outputBias(): tf.Tensor1D | null {
    return null;
  }
}
