import * as tf from '@tensorflow/tfjs';
import { Rng } from '../../core/random.js';
import { DropoutMasks } from '../../nn/dropout.js';
import type { ItemTextVectors, SequenceBatch, SequenceNetwork } from '../neural/network.js';
import { SasRecNetwork } from '../sasrec/network.js';
import { FACET_WEIGHTS, type FacetsConfig, LOGIT_FLOOR, mixComponents, RECENCY_MAX } from './config.js';

/**
 * Training side of the facets model. At every position t, facet k is
 * V_k,t = sum_{s<=t} exp(a_s,k) e_s / sum_{s<=t} exp(a_s,k) with a_s = tanh(e_s W1 + b1) W2: causal
 * attention pooling that reduces to prefix sums (cumsum along the last axis: tfjs's cumsum
 * gradient is wrong for other axes). With recency, a_s,k + λ_k · s: a term linear in s, so the
 * prefix sums still serve (exp(λ_k · (s - t)) = exp(λ_k s) / exp(λ_k t), and the 1 / exp(λ_k t) cancels).
 * Weights w_t = softmax([e_t; gap_t] G + g); h_t = sum_k w_k V_k. On a SASRec (config.sasrec), its
 * state now s_t is one more component and what the weights read: w_t = softmax([s_t; gap_t] G + g),
 * h_t = sum_k w_k V_k + w_K s_t.
 */
export class FacetsNetwork implements SequenceNetwork {
  readonly variables: ReadonlyMap<string, tf.Variable>;
  private calls = 0;
  /** The SASRec under the facets (config.sasrec), whose item table they share. */
  private readonly sequence: SasRecNetwork | null;

  constructor(
    private readonly config: FacetsConfig,
    numItems: number,
    private readonly seed: number,
    itemText?: ItemTextVectors,
  ) {
    const { dim: d, facets: K, attentionDim: h } = config;
    const M = mixComponents(config);
    this.sequence = config.sasrec ? new SasRecNetwork(config.sasrec, numItems, seed, itemText) : null;
    const rng = new Rng(seed);
    const glorot = (rows: number, cols: number) => {
      const limit = Math.sqrt(6 / (rows + cols));
      return tf.tensor2d(
        Float32Array.from({ length: rows * cols }, () => (rng.next() * 2 - 1) * limit),
        [rows, cols],
      );
    };
    const padding = Float32Array.from({ length: numItems + 1 }, (_, i) => (i === 0 ? 0 : 1));
    // variables outlive tidy; the initial values' temporaries do not
    const initial = tf.tidy(() => ({
      ...(!this.sequence && {
        [FACET_WEIGHTS.items]: tf.variable(
          glorot(numItems + 1, d).mul(tf.tensor2d(padding, [numItems + 1, 1])),
        ),
      }),
      [FACET_WEIGHTS.attentionKernel]: tf.variable(glorot(d, h)),
      [FACET_WEIGHTS.attentionBias]: tf.variable(tf.zeros([h])),
      [FACET_WEIGHTS.attentionOut]: tf.variable(glorot(h, K)),
      [FACET_WEIGHTS.gateKernel]: tf.variable(glorot(d + 1, M)),
      [FACET_WEIGHTS.gateBias]: tf.variable(tf.zeros([M])),
      // rates spread from long-term (λ ≈ 0.003) to short-term (λ ≈ 0.13) facets
      ...(config.recency && {
        [FACET_WEIGHTS.recency]: tf.variable(
          tf.tensor1d(Array.from({ length: K }, (_, k) => (K === 1 ? 0 : -4 + (6 * k) / (K - 1)))),
        ),
      }),
    }));
    this.variables = new Map([
      ...(this.sequence?.variables ?? []),
      ...(Object.entries(initial) as [string, tf.Variable][]),
    ]);
  }

  atStep(step: number): void {
    this.calls = step;
    this.sequence?.atStep(step);
  }

  hidden(batch: SequenceBatch, training: boolean): tf.Tensor3D {
    const { batchSize: B, length: L, inputs } = batch;
    const { dim: d, facets: K } = this.config;
    const M = mixComponents(this.config);
    // salted on a SASRec, which draws its own masks from the same seed and step
    const dropout = new DropoutMasks(
      training ? this.config.dropout : 0,
      this.sequence ? this.seed ^ 0x3c6ef372 : this.seed,
      training ? this.calls++ : 0,
    );
    const v = (name: string) => this.variables.get(name)!;
    const keep = Float32Array.from(inputs, (id) => (id === 0 ? 0 : 1));
    return tf.tidy(() => {
      const e = dropout.apply(tf.gather(v(FACET_WEIGHTS.items), tf.tensor1d(inputs, 'int32'))); // [B*L, d]
      const logits = tf.matMul(
        tf.tanh(tf.matMul(e, v(FACET_WEIGHTS.attentionKernel)).add(v(FACET_WEIGHTS.attentionBias))),
        v(FACET_WEIGHTS.attentionOut),
      ); // [B*L, K]
      // each (row, facet) shifted by its own max over the real positions (padding masked first),
      // so no facet underflows; the same normalisation the plain-TS encoder does exactly
      const paddingMask = tf.tensor3d(
        Float32Array.from(keep, (k) => (k ? 0 : -1e9)),
        [B, 1, L],
      );
      let byFacet = tf.transpose(logits.reshape([B, L, K]), [0, 2, 1]).add(paddingMask); // [B, K, L]
      if (this.config.recency) {
        const rates = tf.sigmoid(v(FACET_WEIGHTS.recency)).mul(RECENCY_MAX).reshape([1, K, 1]);
        byFacet = byFacet.add(rates.mul(tf.range(0, L).reshape([1, 1, L])));
      }
      const pByFacet = tf
        .exp(tf.maximum(byFacet.sub(tf.max(byFacet, 2, true)), LOGIT_FLOOR))
        .mul(tf.tensor3d(keep, [B, 1, L]));
      const weighted = pByFacet
        .reshape([B, K, 1, L])
        .mul(tf.transpose(e.reshape([B, L, d]), [0, 2, 1]).reshape([B, 1, d, L])); // [B, K, d, L]
      const numerator = tf.transpose(tf.cumsum(weighted, 3), [0, 3, 1, 2]); // [B, L, K, d]
      // leading padding positions have no item yet: a constant 1 keeps them at 0 / 1 instead of 0 / 0
      const noneYet = new Float32Array(B * L);
      for (let b = 0; b < B; b++) {
        for (let t = 0; t < L && keep[b * L + t] === 0; t++) noneYet[b * L + t] = 1;
      }
      const denominator = tf
        .transpose(tf.cumsum(pByFacet, 2), [0, 2, 1])
        .add(tf.tensor3d(noneYet, [B, L, 1])); // [B, L, K]
      const pooled = numerator.div(denominator.reshape([B, L, K, 1]));
      // with a SASRec: its state now is the last component, and what the weights read
      const now = this.sequence?.hidden(batch, training).reshape([B * L, d]);
      const facets = now ? tf.concat([pooled, now.reshape([B, L, 1, d])], 2) : pooled; // [B, L, M, d]
      const gaps = this.config.useTimeGaps && batch.timeGaps ? batch.timeGaps : new Float32Array(B * L);
      const context = tf.concat([now ?? e, tf.tensor2d(gaps, [B * L, 1])], 1);
      const w = tf.softmax(tf.matMul(context, v(FACET_WEIGHTS.gateKernel)).add(v(FACET_WEIGHTS.gateBias))); // [B*L, M]
      const mix = training ? this.trainingMix(facets, w, batch) : w;
      return facets.mul(mix.reshape([B, L, M, 1])).sum(2) as tf.Tensor3D;
    });
  }

  /** The facet weights a training position uses (see `FacetsConfig.routing`). */
  private trainingMix(facets: tf.Tensor, w: tf.Tensor, batch: SequenceBatch): tf.Tensor {
    const { routing } = this.config;
    if (routing === 'soft') return w;
    const routed = routedWeights(facets, w, this.outputTable(), batch);
    return routing === 'hard' ? routed : routed.add(w).mul(0.5);
  }

  outputTable(): tf.Tensor2D {
    return this.sequence?.outputTable() ?? (this.variables.get(FACET_WEIGHTS.items)! as tf.Tensor2D);
  }

  inferenceWeights(weights: Parameters<NonNullable<SequenceNetwork['inferenceWeights']>>[0]): void {
    this.sequence?.inferenceWeights(weights);
  }

  outputBias(): tf.Tensor1D | null {
    return null;
  }
}

/**
 * ComiRec's routing while training: each position uses the facet that best matches the item that
 * actually came next (so facets specialise instead of collapsing into one), while the gate still
 * learns through a straight-through estimator: the value is one-hot, the gradient is that of w.
 */
function routedWeights(facets: tf.Tensor, w: tf.Tensor, table: tf.Tensor2D, batch: SequenceBatch): tf.Tensor {
  const { batchSize: B, length: L } = batch;
  const K = w.shape[1] as number;
  const d = table.shape[1];
  const next = tf.gather(table, tf.tensor1d(batch.targets, 'int32')).reshape([B, L, 1, d]);
  const best = tf.argMax(stopGradient(facets.mul(next).sum(3)), 2).reshape([B * L]);
  const oneHot = tf.oneHot(best as tf.Tensor1D, K).toFloat();
  return oneHot.add(w.sub(stopGradient(w)));
}

const stopGradient = tf.customGrad((...args: (tf.Tensor | tf.GradSaveFunc)[]) => {
  const x = args[0] as tf.Tensor;
  return { value: x.clone(), gradFunc: (dy: tf.Tensor) => tf.zerosLike(dy) };
}) as (x: tf.Tensor) => tf.Tensor;
