import * as tf from '@tensorflow/tfjs';
import { Rng } from '../../core/random.js';
import type { ItemTextVectors, NamedWeights, SequenceBatch, SequenceNetwork } from '../neural/network.js';
import { SasRecNetwork } from '../sasrec/network.js';
import type { FusedConfig } from './config.js';
import { FUSION_WEIGHTS, GATE_FEATURES, GATE_SCALE, gateTimeFeatures } from './shared.js';

/**
 * Training side of the fused model. One SASRec reads the window; its state after the latest event
 * is the short-term interest, its state before the last `shortWindow` events (plus the latest item,
 * through a learned map) the long-term one. A gate on their disagreement and the time features mixes
 * them; `gatePrior` charges for the short-term share, so that it is spent where it pays.
 */
export class FusedNetwork implements SequenceNetwork {
  readonly variables: ReadonlyMap<string, tf.Variable>;
  private readonly sequence: SasRecNetwork;
  private penalty: tf.Scalar | null = null;

  constructor(
    private readonly config: FusedConfig,
    numItems: number,
    seed: number,
    itemText?: ItemTextVectors,
  ) {
    this.sequence = new SasRecNetwork(config.longTerm, numItems, seed, itemText);
    const d = config.longTerm.dim;
    const rng = new Rng(seed ^ 0x5bd1e995);
    const limit = Math.sqrt(6 / (2 * d));
    const carry = Float32Array.from({ length: d * d }, () => (rng.next() * 2 - 1) * limit);
    const own = new Map<string, tf.Variable>([
      [FUSION_WEIGHTS.carry, tf.variable(tf.tensor2d(carry, [d, d]))],
      [FUSION_WEIGHTS.empty, tf.variable(tf.zeros([d]))],
      [FUSION_WEIGHTS.gateKernel, tf.variable(tf.zeros([GATE_FEATURES, 1]))],
      [FUSION_WEIGHTS.gateBias, tf.variable(tf.fill([1], config.gateBiasInit / GATE_SCALE))],
    ]);
    this.variables = new Map([...this.sequence.variables, ...own]);
  }

  atStep(step: number): void {
    this.sequence.atStep(step);
  }

  hidden(batch: SequenceBatch, training: boolean): tf.Tensor3D {
    const { batchSize: B, length: L } = batch;
    const d = this.config.longTerm.dim;
    const { lagged, features, real } = this.layout(batch);
    const v = (name: string) => this.variables.get(name)!;
    this.penalty?.dispose();
    this.penalty = null;
    const [fused, penalty] = tf.tidy(() => {
      const states = this.sequence.hidden(batch, training).reshape([B * L, d]);
      const withEmpty = tf.concat([states, v(FUSION_WEIGHTS.empty).reshape([1, d])]);
      const latest = tf.gather(this.sequence.outputTable(), tf.tensor1d(batch.inputs, 'int32'));
      const before = tf.gather(withEmpty, tf.tensor1d(lagged, 'int32'));
      const uLong = before.add(tf.matMul(latest, v(FUSION_WEIGHTS.carry)));
      const uShort = states;
      // sqrt(|x|² + ε): the norm's gradient at a zero vector (padding rows) would be NaN
      const norm = (x: tf.Tensor) => x.square().sum(1).add(1e-12).sqrt();
      const cosine = uShort
        .mul(before)
        .sum(1)
        .div(norm(uShort).mul(norm(before)).add(1e-8));
      const time = tf.tensor2d(features, [B * L, GATE_FEATURES - 1]);
      const gateInput = tf.concat(
        [
          tf
            .scalar(1)
            .sub(cosine)
            .reshape([B * L, 1]),
          time,
        ],
        1,
      );
      const gate = tf.sigmoid(
        tf.matMul(gateInput, v(FUSION_WEIGHTS.gateKernel)).add(v(FUSION_WEIGHTS.gateBias)).mul(GATE_SCALE),
      );
      const fusedStates = gate.mul(uShort).add(tf.scalar(1).sub(gate).mul(uLong)).reshape([B, L, d]);
      const mask = tf.tensor2d(real, [B * L, 1]);
      const meanGate = gate
        .mul(mask)
        .sum()
        .div(
          Math.max(
            1,
            real.reduce((s, x) => s + x, 0),
          ),
        );
      return [fusedStates, meanGate.mul(this.config.gatePrior)] as [tf.Tensor3D, tf.Scalar];
    });
    if (training && this.config.gatePrior > 0) this.penalty = penalty;
    else penalty.dispose();
    return fused;
  }

  auxiliaryLoss(): tf.Scalar | null {
    const penalty = this.penalty;
    this.penalty = null;
    return penalty;
  }

  /**
   * Per position (row-major [B, L]): the row of the lagged state (B·L = the empty state), the gate's
   * time features and whether the position holds an event.
   */
  private layout(batch: SequenceBatch): { lagged: Int32Array; features: Float32Array; real: Float32Array } {
    const { batchSize: B, length: L, inputs } = batch;
    const w = this.config.shortWindow;
    const timeFeatures = GATE_FEATURES - 1;
    const lagged = new Int32Array(B * L).fill(B * L);
    const features = new Float32Array(B * L * timeFeatures);
    const real = new Float32Array(B * L);
    const gaps = this.config.useTimeGaps ? batch.timeGaps : null;
    for (let b = 0; b < B; b++) {
      let first = 0;
      while (first < L && inputs[b * L + first] === 0) first++;
      for (let t = first; t < L; t++) {
        const p = b * L + t;
        real[p] = 1;
        if (t - w >= first) lagged[p] = p - w;
        else features[p * timeFeatures + 2] = 1;
        if (gaps) {
          const [gap, longest] = gateTimeFeatures(gaps.subarray(b * L, (b + 1) * L), first, t, w);
          features[p * timeFeatures] = gap;
          features[p * timeFeatures + 1] = longest;
        }
      }
    }
    return { lagged, features, real };
  }

  inferenceWeights(weights: NamedWeights): void {
    this.sequence.inferenceWeights(weights);
  }

  outputTable(): tf.Tensor2D {
    return this.sequence.outputTable();
  }

  outputBias(): tf.Tensor1D | null {
    return null;
  }
}
