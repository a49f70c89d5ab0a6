/**
 * The training side of the recurrent families (tfjs): GRU4Rec-style or LSTM over left-padded windows,
 * teacher-forced (the state after inputs 0..t predicts targets[t]). Work is time-major [L, B, ...]
 * inside, so that each step's slice is contiguous; `hidden()` returns batch-major [B, L, dim].
 */
import * as tf from '@tensorflow/tfjs';
import { TideError } from '../../core/errors.js';
import { Rng } from '../../core/random.js';
import { matMulLastAxis } from '../../nn/index.js';
import type { SequenceBatch, SequenceNetwork } from '../neural/network.js';
import { variablesFrom } from '../neural/variables.js';
import { gruLayer, lstmLayer, stepMasks } from './cells.js';
import { type RnnConfig, TYPE_ROWS } from './config.js';
import { initialWeights } from './weights.js';

/** The inputs of a batch, transposed to time-major [L, B]. */
interface TimeMajorInputs {
  ids: Int32Array;
  mask: Float32Array;
  gaps: Float32Array;
  types: Int32Array;
}

/**
 * A recurrent `SequenceNetwork` with seeded variables (see `weights.ts` for names and layout).
 * Dropout masks come from the network's own seeded generator: two networks built with the same seed
 * and fed the same batches draw the same masks; `training = false` draws none.
 *
 * @example
 * await initBackend();
 * const network = new RnnNetwork(parseRnnConfig({ hiddenDim: 100 }, 'gru'), numItems, 42);
 * const states = network.hidden(batch, true); // [B, L, 100]
 */
export class RnnNetwork implements SequenceNetwork {
  readonly variables: ReadonlyMap<string, tf.Variable>;
  private dropoutRng: Rng;

  constructor(
    readonly config: RnnConfig,
    readonly numItems: number,
    private readonly seed: number,
  ) {
    this.variables = variablesFrom(initialWeights(config, numItems, seed));
    this.dropoutRng = new Rng(seed ^ 0x5eed_d00d);
  }

  /** Each training step draws its masks from a generator of its own, so a resumed run draws the same. */
  atStep(step: number): void {
    this.dropoutRng = new Rng((this.seed ^ 0x5eed_d00d) + Math.imul(step, 0x9e3779b1));
  }

  hidden(batch: SequenceBatch, training: boolean): tf.Tensor3D {
    const { batchSize: B, length: L } = batch;
    const { config } = this;
    const inputs = this.timeMajor(batch);
    return tf.tidy(() => {
      let x: tf.Tensor = tf.gather(this.variable('item_embedding'), tf.tensor2d(inputs.ids, [L, B], 'int32'));
      if (config.useTimeGaps) {
        x = tf.add(x, tf.mul(tf.tensor3d(inputs.gaps, [L, B, 1]), this.variable('time_gap_weight')));
      }
      if (config.useTypes) {
        x = tf.add(x, tf.gather(this.variable('type_embedding'), tf.tensor2d(inputs.types, [L, B], 'int32')));
      }
      const masks = stepMasks(inputs.mask, L, B);
      const layer = config.cell === 'gru' ? gruLayer : lstmLayer;
      for (let k = 0; k < config.layers; k++) {
        const kernel = this.variable(`rnn${k}/kernel`) as tf.Tensor2D;
        const projected = tf.add(
          matMulLastAxis(this.dropout(x, training), kernel),
          this.variable(`rnn${k}/bias`),
        );
        x = layer(projected as tf.Tensor3D, masks, this.variable(`rnn${k}/recurrent_kernel`) as tf.Tensor2D);
      }
      x = this.dropout(x, training);
      if (config.tiedOutput) {
        const projection = this.variable('output_projection/kernel') as tf.Tensor2D;
        x = tf.add(matMulLastAxis(x, projection), this.variable('output_projection/bias'));
      }
      return tf.transpose(x, [1, 0, 2]) as tf.Tensor3D;
    });
  }

  outputTable(): tf.Tensor2D {
    return this.variable(this.config.tiedOutput ? 'item_embedding' : 'output_table') as tf.Tensor2D;
  }

  outputBias(): tf.Tensor1D | null {
    return this.config.tiedOutput ? null : (this.variable('output_bias') as tf.Tensor1D);
  }

  private variable(name: string): tf.Variable {
    const variable = this.variables.get(name);
    if (!variable) throw new Error(`rnn network has no variable ${name}`);
    return variable;
  }

  /** x times a fresh inverted-dropout mask (kept values scaled by 1 / (1 - rate)); x itself when off. */
  private dropout(x: tf.Tensor, training: boolean): tf.Tensor {
    const rate = this.config.dropout;
    if (!training || rate === 0) return x;
    const keep = new Float32Array(x.size);
    const scale = 1 / (1 - rate);
    for (let i = 0; i < keep.length; i++) keep[i] = this.dropoutRng.next() < rate ? 0 : scale;
    return tf.mul(x, tf.tensor(keep, x.shape));
  }

  private timeMajor(batch: SequenceBatch): TimeMajorInputs {
    const { batchSize: B, length: L, inputs, timeGaps, types } = batch;
    if (inputs.length !== B * L) {
      throw new TideError('INVALID_INPUT', `rnn batch: ${inputs.length} inputs for [${B}, ${L}]`);
    }
    const ids = new Int32Array(B * L);
    const mask = new Float32Array(B * L);
    const gaps = new Float32Array(this.config.useTimeGaps ? B * L : 0);
    const typeRows = new Int32Array(this.config.useTypes ? B * L : 0);
    for (let b = 0; b < B; b++) {
      for (let t = 0; t < L; t++) {
        const from = b * L + t;
        const to = t * B + b;
        const id = inputs[from];
        if (id < 0 || id > this.numItems) {
          throw new TideError('INVALID_INPUT', `rnn batch: item id ${id} outside [0, ${this.numItems}]`);
        }
        ids[to] = id;
        mask[to] = id === 0 ? 0 : 1;
        if (gaps.length > 0 && timeGaps) gaps[to] = timeGaps[from];
        if (typeRows.length > 0) {
          // No types in the batch means every event is a plain view (code 0, row 1).
          const row = types ? types[from] : id === 0 ? 0 : 1;
          if (row < 0 || row >= TYPE_ROWS)
            throw new TideError('INVALID_INPUT', `rnn batch: type ${row} outside [0, 6]`);
          typeRows[to] = row;
        }
      }
    }
    return { ids, mask, gaps, types: typeRows };
  }
}
