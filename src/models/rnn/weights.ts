/**
 * The recurrent families' weights: names, shapes and seeded initial values, in plain TypeScript so that
 * the tfjs network and the plain-TS inference agree on one layout.
 *
 * Layout (row-major, dense kernels [in, out] as in tfjs, y = x · W):
 *   item_embedding            [numItems + 1, embeddingDim]  row 0 = padding
 *   time_gap_weight           [embeddingDim]                 (useTimeGaps) added times log1p(gap seconds)
 *   type_embedding            [7, embeddingDim]              (useTypes) row = type code + 1, 0 = padding
 *   rnn{k}/kernel             [in, gates * hiddenDim]        in = embeddingDim for k = 0, else hiddenDim
 *   rnn{k}/recurrent_kernel   [hiddenDim, gates * hiddenDim]
 *   rnn{k}/bias               [gates * hiddenDim]
 *   output_projection/kernel  [hiddenDim, embeddingDim]      (tiedOutput) scored against item_embedding
 *   output_projection/bias    [embeddingDim]                 (tiedOutput)
 *   output_table              [numItems + 1, hiddenDim]      (untied) GRU4Rec's output layer
 *   output_bias               [numItems + 1]                 (untied)
 * Gate column blocks, each hiddenDim wide: GRU [update z | reset r | candidate];
 * LSTM [input | forget | output | candidate].
 */
import { TideError } from '../../core/errors.js';
import { Rng } from '../../core/random.js';
import type { NamedWeights } from '../neural/network.js';
import { gateCount, type RnnConfig, TYPE_ROWS } from './config.js';

type Init = 'glorot' | 'glorot-row0-zero' | 'orthogonal' | 'zeros' | 'lstm-bias' | 'small';

/** One weight of a network: its stable name, shape and how it starts. */
export interface WeightSpec {
  readonly name: string;
  readonly shape: number[];
  readonly init: Init;
}

/**
 * Every weight a network of `config` has, in a fixed order.
 *
 * @example
 * weightSpecs(RnnConfig.parse({}), 3416).map((w) => w.name); // ['item_embedding', 'rnn0/kernel', ...]
 */
export function weightSpecs(config: RnnConfig, numItems: number): WeightSpec[] {
  const { embeddingDim: e, hiddenDim: h } = config;
  const gates = gateCount(config.cell) * h;
  const specs: WeightSpec[] = [
    { name: 'item_embedding', shape: [numItems + 1, e], init: 'glorot-row0-zero' },
  ];
  if (config.useTimeGaps) specs.push({ name: 'time_gap_weight', shape: [e], init: 'small' });
  if (config.useTypes)
    specs.push({ name: 'type_embedding', shape: [TYPE_ROWS, e], init: 'glorot-row0-zero' });
  for (let k = 0; k < config.layers; k++) {
    specs.push(
      { name: `rnn${k}/kernel`, shape: [k === 0 ? e : h, gates], init: 'glorot' },
      { name: `rnn${k}/recurrent_kernel`, shape: [h, gates], init: 'orthogonal' },
      { name: `rnn${k}/bias`, shape: [gates], init: config.cell === 'lstm' ? 'lstm-bias' : 'zeros' },
    );
  }
  if (config.tiedOutput) {
    specs.push(
      { name: 'output_projection/kernel', shape: [h, e], init: 'glorot' },
      { name: 'output_projection/bias', shape: [e], init: 'zeros' },
    );
  } else {
    specs.push(
      { name: 'output_table', shape: [numItems + 1, h], init: 'glorot-row0-zero' },
      { name: 'output_bias', shape: [numItems + 1], init: 'zeros' },
    );
  }
  return specs;
}

/**
 * Seeded initial values: glorot-uniform matrices; recurrent kernels orthogonal per gate block (each
 * [h, h] block has orthonormal columns, Keras's choice, which keeps early gradients from exploding or
 * vanishing over 200 steps); zero biases except LSTM forget-gate biases at 1; padding rows at 0;
 * the time-gap vector uniform in ±0.05.
 *
 * @example
 * const weights = initialWeights(config, numItems, 42); // same seed, same values
 */
export function initialWeights(config: RnnConfig, numItems: number, seed: number): NamedWeights {
  const rng = new Rng(seed);
  const weights: NamedWeights = new Map();
  for (const spec of weightSpecs(config, numItems)) {
    weights.set(spec.name, { shape: spec.shape, data: initialValues(spec, config.hiddenDim, rng) });
  }
  return weights;
}

function initialValues({ shape, init }: WeightSpec, hiddenDim: number, rng: Rng): Float32Array {
  const size = shape.reduce((a, b) => a * b, 1);
  const values = new Float32Array(size);
  if (init === 'zeros') return values;
  if (init === 'lstm-bias') return values.fill(1, hiddenDim, 2 * hiddenDim);
  if (init === 'orthogonal') return orthogonalBlocks(shape[0], shape[1] / shape[0], rng);
  const limit = init === 'small' ? 0.05 : Math.sqrt(6 / (shape[0] + (shape[1] ?? 1)));
  for (let i = 0; i < size; i++) values[i] = (2 * rng.next() - 1) * limit;
  if (init === 'glorot-row0-zero') values.fill(0, 0, shape[1]);
  return values;
}

/** [n, blocks * n] of `blocks` random orthogonal [n, n] blocks side by side (Gram-Schmidt on Gaussians). */
function orthogonalBlocks(n: number, blocks: number, rng: Rng): Float32Array {
  const out = new Float32Array(n * n * blocks);
  const basis = new Float64Array(n * n); // row r = r-th orthonormal vector
  for (let b = 0; b < blocks; b++) {
    for (let r = 0; r < n; r++) {
      const row = r * n;
      for (let i = 0; i < n; i++) basis[row + i] = rng.normal();
      for (let pass = 0; pass < 2; pass++) {
        for (let q = 0; q < r; q++) {
          let projection = 0;
          for (let i = 0; i < n; i++) projection += basis[row + i] * basis[q * n + i];
          for (let i = 0; i < n; i++) basis[row + i] -= projection * basis[q * n + i];
        }
      }
      let norm = 0;
      for (let i = 0; i < n; i++) norm += basis[row + i] ** 2;
      norm = Math.sqrt(norm);
      for (let i = 0; i < n; i++) basis[row + i] /= norm;
    }
    // Write the basis transposed into block b: out[i, b * n + r] = basis[r, i].
    for (let r = 0; r < n; r++)
      for (let i = 0; i < n; i++) out[i * n * blocks + b * n + r] = basis[r * n + i];
  }
  return out;
}

/**
 * Columns [from, from + width) of a row-major [rows, cols] matrix, as a contiguous [rows, width].
 *
 * @example
 * const candidateColumns = columns(recurrentKernel, h, 3 * h, 2 * h, h);
 */
export function columns(
  matrix: Float32Array,
  rows: number,
  cols: number,
  from: number,
  width: number,
): Float32Array {
  const out = new Float32Array(rows * width);
  for (let r = 0; r < rows; r++)
    out.set(matrix.subarray(r * cols + from, r * cols + from + width), r * width);
  return out;
}

/**
 * A getter over `weights` that first checks every weight `config` needs is there with the right shape,
 * throwing a `TideError` that names the first one that is not.
 *
 * @example
 * const get = checkedWeights(config, numItems, savedWeights);
 * const embedding = get('item_embedding');
 */
export function checkedWeights(
  config: RnnConfig,
  numItems: number,
  weights: NamedWeights,
): (name: string) => Float32Array {
  for (const { name, shape } of weightSpecs(config, numItems)) {
    const weight = weights.get(name);
    const size = shape.reduce((a, b) => a * b, 1);
    if (!weight || weight.data.length !== size || weight.shape.join(',') !== shape.join(',')) {
      const found = weight ? `[${weight.shape}] (${weight.data.length} values)` : 'nothing';
      throw new TideError(
        'INVALID_INPUT',
        `${config.cell} weights: ${name} should be [${shape}], found ${found}`,
      );
    }
  }
  return (name) => weights.get(name)!.data;
}
