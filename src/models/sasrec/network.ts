/**
 * The training side of SASRec (tfjs): pre-LN causal self-attention blocks over left-padded windows, as in
 * pmixer/SASRec.pytorch. Rows are folded to [B * L, d] for every dense layer (one 2-D product on
 * XNNPACK's fast path); attention is a batched product over [B * heads, L, d / heads].
 */
import * as tf from '@tensorflow/tfjs';
import { TideError } from '../../core/errors.js';
import { Rng } from '../../core/random.js';
import { DropoutMasks } from '../../nn/dropout.js';
import type { ItemTextVectors, NamedWeights, SequenceBatch, SequenceNetwork } from '../neural/network.js';
import { variablesFrom } from '../neural/variables.js';
import { type SasRecConfig, TYPE_ROWS } from './config.js';
import { initialWeights } from './weights.js';

/** Additive attention mask, large enough that exp() of a masked score is exactly 0 in float32. */
const MASKED = -1e9;

/**
 * A SASRec `SequenceNetwork` with seeded variables (see `weights.ts` for names and layout). Dropout (on
 * the input embedding, each attention output and both feed-forward layers) draws its masks from a
 * generator seeded by (seed, number of training calls so far): two networks built with the same seed
 * and fed the same batches draw the same masks; `training = false` draws none.
 *
 * @example
 * await initBackend();
 * const network = new SasRecNetwork(parseSasRecConfig({ dim: 50 }), numItems, 42);
 * const states = network.hidden(batch, true); // [B, L, 50]
 */
export class SasRecNetwork implements SequenceNetwork {
  readonly variables: ReadonlyMap<string, tf.Variable>;
  private trainingCalls = 0;
  /** The training call whose ID-dropout draw `outputTable` repeats; -1 outside training. */
  private maskedCall = -1;

  /** The items' fixed text vectors [numItems + 1, textDim] (row 0 = padding), when textDim > 0. */
  private readonly itemText: tf.Tensor2D | null;

  constructor(
    readonly config: SasRecConfig,
    readonly numItems: number,
    private readonly seed: number,
    itemText?: ItemTextVectors,
  ) {
    this.variables = variablesFrom(initialWeights(config, numItems, seed));
    this.itemText = config.textDim > 0 ? textTable(config.textDim, numItems, itemText) : null;
  }

  atStep(step: number): void {
    this.trainingCalls = step;
  }

  hidden(batch: SequenceBatch, training: boolean): tf.Tensor3D {
    this.check(batch);
    const { batchSize: B, length: L, inputs } = batch;
    const { dim: d, maxLength, blocks } = this.config;
    const rows = B * L;
    const dropout = new DropoutMasks(training ? this.config.dropout : 0, this.seed, this.trainingCalls);
    const call = this.trainingCalls;
    if (training) this.trainingCalls++;
    const keep = new Float32Array(rows);
    for (let r = 0; r < rows; r++) keep[r] = inputs[r] === 0 ? 0 : 1;
    return tf.tidy(() => {
      this.maskedCall = training ? call : -1;
      const item = tf.gather(this.itemTable(this.maskedCall), tf.tensor1d(inputs, 'int32'));
      const position = tf.slice(this.weight('position_embedding'), [maxLength - L, 0], [L, d]);
      let x = tf.reshape(tf.add(tf.reshape(tf.mul(item, Math.sqrt(d)), [B, L, d]), position), [rows, d]);
      if (this.config.useTimeGaps) {
        const gaps = batch.timeGaps ?? new Float32Array(rows);
        x = tf.add(x, tf.mul(tf.tensor2d(gaps, [rows, 1]), this.weight('time_gap_weight')));
      }
      if (this.config.useTypes) {
        // No types in the batch means every event is a plain view: code 0, row 1.
        const types = batch.types ?? Int32Array.from(keep);
        x = tf.add(x, tf.gather(this.weight('type_embedding'), tf.tensor1d(types, 'int32')));
      }
      const timeline = tf.tensor2d(keep, [rows, 1]);
      x = tf.mul(dropout.apply(x), timeline);
      const mask = tf.tensor4d(attentionMask(inputs, B, L), [B, 1, L, L]);
      for (let i = 0; i < blocks; i++) {
        const normed = this.layerNorm(x, `block${i}/attn_ln`);
        x = tf.add(normed, dropout.apply(this.attention(normed, x, mask, `block${i}/attn`, B, L)));
        x = this.layerNorm(x, `block${i}/ffn_ln`);
        const inner = dropout.apply(tf.relu(this.dense(x, `block${i}/ffn/inner`)));
        x = tf.mul(tf.add(x, dropout.apply(this.dense(inner, `block${i}/ffn/outer`))), timeline);
      }
      return tf.reshape(this.layerNorm(x, 'final_ln'), [B, L, d]);
    });
  }

  outputTable(): tf.Tensor2D {
    return this.itemTable(this.maskedCall);
  }

  outputBias(): tf.Tensor1D | null {
    return null;
  }

  inferenceWeights(weights: NamedWeights): void {
    this.maskedCall = -1;
    if (!this.itemText) return;
    const table = this.outputTable();
    weights.set('item_embedding', { shape: [...table.shape], data: Float32Array.from(table.dataSync()) });
    table.dispose();
  }

  /**
   * The item table; with text, E_id ⊙ m + T · P where in a training call (call ≥ 0) m drops the ID
   * rows of a random idDropout share of the items — the same draw for the inputs and the scored table
   * of that call — so that the text part learns to stand for an item alone, as it must for an item
   * never seen in training.
   */
  private itemTable(call: number): tf.Tensor2D {
    const ids = this.weight('item_embedding') as tf.Tensor2D;
    if (!this.itemText) return ids;
    return tf.tidy(() => {
      const text = tf.matMul(this.itemText!, this.weight('text_projection') as tf.Tensor2D);
      if (call < 0 || this.config.idDropout === 0) return tf.add(ids, text);
      const rng = new Rng((this.seed ^ 0x1d1d) + Math.imul(call + 1, 0x9e3779b1));
      const keep = Float32Array.from({ length: this.numItems + 1 }, () =>
        rng.next() < this.config.idDropout ? 0 : 1,
      );
      return tf.add(tf.mul(ids, tf.tensor2d(keep, [this.numItems + 1, 1])), text);
    });
  }

  /**
   * Multi-head attention of queries `normed` over keys and values `x` (both [B * L, d]), with the
   * additive `mask` [B, 1, L, L]. The caller drops out its output; pmixer's torch MultiheadAttention drops
   * the [B, L, L] attention weights instead, 3x more draws at L = 200, d = 64.
   */
  private attention(
    normed: tf.Tensor,
    x: tf.Tensor,
    mask: tf.Tensor,
    prefix: string,
    B: number,
    L: number,
  ): tf.Tensor {
    const { dim: d, heads: h } = this.config;
    const dh = d / h;
    // [B * L, d] -> [B * h, L, dh]; with one head the layout is already right.
    const split = (t: tf.Tensor): tf.Tensor3D =>
      h === 1
        ? tf.reshape(t, [B, L, d])
        : tf.reshape(tf.transpose(tf.reshape(t, [B, L, h, dh]), [0, 2, 1, 3]), [B * h, L, dh]);
    const queries = split(tf.mul(this.dense(normed, `${prefix}/query`), 1 / Math.sqrt(dh)));
    const keys = split(tf.matMul(x as tf.Tensor2D, this.weight(`${prefix}/key/kernel`) as tf.Tensor2D));
    const values = split(this.dense(x, `${prefix}/value`));
    const scores = tf.reshape(tf.matMul(queries, keys, false, true), [B, h, L, L]);
    const weights = tf.softmax(tf.reshape(tf.add(scores, mask), [B * h, L, L]));
    const context = tf.matMul(weights, values);
    const merged =
      h === 1
        ? tf.reshape(context, [B * L, d])
        : tf.reshape(tf.transpose(tf.reshape(context, [B, h, L, dh]), [0, 2, 1, 3]), [B * L, d]);
    return this.dense(merged, `${prefix}/output`);
  }

  private dense(x: tf.Tensor, prefix: string): tf.Tensor {
    const kernel = this.weight(`${prefix}/kernel`) as tf.Tensor2D;
    return tf.add(tf.matMul(x as tf.Tensor2D, kernel), this.weight(`${prefix}/bias`));
  }

  private layerNorm(x: tf.Tensor, prefix: string): tf.Tensor {
    const { mean, variance } = tf.moments(x, -1, true);
    const normed = tf.mul(tf.sub(x, mean), tf.rsqrt(tf.add(variance, this.config.layerNormEps)));
    return tf.add(tf.mul(normed, this.weight(`${prefix}/gamma`)), this.weight(`${prefix}/beta`));
  }

  private weight(name: string): tf.Variable {
    const variable = this.variables.get(name);
    if (!variable) throw new TideError('CONFIG', `sasrec network has no weight "${name}"`);
    return variable;
  }

  private check(batch: SequenceBatch): void {
    const { batchSize, length, inputs, timeGaps, types } = batch;
    const size = batchSize * length;
    const problem =
      length < 1 || length > this.config.maxLength
        ? `length ${length} is outside [1, maxLength ${this.config.maxLength}]`
        : inputs.length !== size
          ? `inputs has ${inputs.length} ids, not batchSize * length = ${size}`
          : timeGaps && timeGaps.length !== size
            ? `timeGaps has ${timeGaps.length} values, not ${size}`
            : types && types.length !== size
              ? `types has ${types.length} values, not ${size}`
              : (outOfRange(inputs, this.numItems, 'input id') ??
                (types && this.config.useTypes ? outOfRange(types, TYPE_ROWS - 1, 'type') : null));
    if (problem) throw new TideError('INVALID_INPUT', `sasrec batch: ${problem}`);
  }
}

/**
 * [B, L, L] additive mask, row-major: query t sees keys s <= t that are not padding, and itself (so that
 * a padding query has one key and its softmax stays finite).
 */
function attentionMask(inputs: Int32Array, B: number, L: number): Float32Array {
  const mask = new Float32Array(B * L * L).fill(MASKED);
  for (let b = 0; b < B; b++) {
    for (let t = 0; t < L; t++) {
      const row = (b * L + t) * L;
      for (let s = 0; s < t; s++) if (inputs[b * L + s] !== 0) mask[row + s] = 0;
      mask[row + t] = 0;
    }
  }
  return mask;
}

/** The first value outside [0, max], described, or null. */
function outOfRange(values: Int32Array, max: number, what: string): string | null {
  for (let i = 0; i < values.length; i++) {
    if (!(values[i] >= 0 && values[i] <= max)) return `${what} ${values[i]} at ${i} is outside [0, ${max}]`;
  }
  return null;
}

/** The text vectors as a constant [numItems + 1, dim] tensor with a zero padding row. */
function textTable(dim: number, numItems: number, itemText: ItemTextVectors | undefined): tf.Tensor2D {
  if (!itemText || itemText.dim !== dim || itemText.vectors.length !== numItems * dim) {
    const got = itemText ? `${itemText.vectors.length / itemText.dim} x ${itemText.dim}` : 'none';
    throw new TideError(
      'CONFIG',
      `sasrec config: textDim ${dim} needs text vectors of ${numItems} items x ${dim} (got ${got})`,
      { file: 'sasrec config', field: 'textDim' },
    );
  }
  const padded = new Float32Array((numItems + 1) * dim);
  padded.set(itemText.vectors, dim);
  return tf.tensor2d(padded, [numItems + 1, dim]);
}
