/**
 * Saved SASRec weights checked against `weightSpecs` and rearranged once for plain-TS inference.
 *
 * Attention as three affine maps: queries on the normalised input, keys and values on x. With one head
 * two products are folded, since softmax ignores terms constant over the keys and Σ_s p_s = 1:
 *   score(t, s) ∝ (q_t Wq + bq) · (x_s Wk) = (q_t Wq Wkᵀ + bq Wkᵀ) · x_s   (query map Wq Wkᵀ, keys = x)
 *   Σ_s p_s (x_s Wv + bv) Wo + bo = Σ_s p_s (x_s Wv Wo + bv Wo + bo)       (value map Wv Wo, no output map)
 * The first block's input is a sum of table rows (item, position, gap, type), so its maps can be applied
 * to the tables once (`FirstBlockTables`) instead of to every row of every request.
 */
import { TideError } from '../../core/errors.js';
import { matMul, matMulTransposed, vecMat } from '../../nn/scalar.js';
import type { NamedWeights } from '../neural/network.js';
import { type SasRecConfig, TYPE_ROWS } from './config.js';
import { weightSpecs } from './weights.js';

/** y = x · kernel + bias; kernel [in, out] serves single rows (`vecMat`), kernelT [out, in] blocks of rows. */
export interface Affine {
  kernel: Float32Array;
  kernelT: Float32Array;
  bias: Float32Array;
}

export interface BlockWeights {
  attnGamma: Float32Array;
  attnBeta: Float32Array;
  query: Affine;
  /** null with one head: the keys are x itself. */
  key: Affine | null;
  value: Affine;
  /** null with one head: folded into `value`. */
  output: Affine | null;
  ffnGamma: Float32Array;
  ffnBeta: Float32Array;
  inner: Affine;
  outer: Affine;
}

/** An affine map applied to each part of the first block's input: row t = sum of one row of each. */
export interface InputTable {
  items: Float32Array; // [numItems + 1, d]: sqrt(d) · E · M
  positions: Float32Array; // [maxLength, d]: P · M
  gap: Float32Array | null; // [d]: w · M
  types: Float32Array | null; // [7, d]: T · M
  bias: Float32Array; // [d]
}

/**
 * The first block's maps applied to the input tables. The query map M reads the layer-normalised input
 * ((x - mean) / std ⊙ gamma + beta): its table holds diag(gamma) M, `queryColumnSums` the column sums of
 * diag(gamma) M, and its bias beta M + b, so that query = (table row - mean · sums) / std + bias.
 */
export interface FirstBlockTables {
  query: InputTable;
  queryColumnSums: Float32Array;
  key: InputTable | null;
  value: InputTable;
}

export interface EncoderWeights {
  itemEmbedding: Float32Array;
  positionEmbedding: Float32Array;
  timeGapWeight: Float32Array | null;
  typeEmbedding: Float32Array | null;
  blocks: BlockWeights[];
  /** null with one block, or when the tables would exceed the budget. */
  firstBlockTables: FirstBlockTables | null;
  finalGamma: Float32Array;
  finalBeta: Float32Array;
}

/**
 * Checks every weight `config` needs (name, shape) and prepares them for the encoder; builds the first
 * block's tables when they hold at most `tableBudget` floats.
 *
 * @example
 * const prepared = encoderWeights(config, numItems, savedWeights, 1 << 24);
 */
export function encoderWeights(
  config: SasRecConfig,
  numItems: number,
  weights: NamedWeights,
  tableBudget: number,
): EncoderWeights {
  for (const spec of weightSpecs(config, numItems)) {
    const weight = weights.get(spec.name);
    const size = spec.shape.reduce((a, b) => a * b, 1);
    if (!weight) throw new TideError('INVALID_INPUT', `sasrec weights: "${spec.name}" is missing`);
    if (weight.shape.join() !== spec.shape.join() || weight.data.length !== size) {
      throw new TideError(
        'INVALID_INPUT',
        `sasrec weights: "${spec.name}" has shape [${weight.shape}] (${weight.data.length} values), expected [${spec.shape}]`,
      );
    }
  }
  const get = (name: string): Float32Array => weights.get(name)!.data;
  const d = config.dim;
  const dense = (prefix: string): Affine => affine(get(`${prefix}/kernel`), get(`${prefix}/bias`), d);
  const blocks = Array.from({ length: config.blocks }, (_, i): BlockWeights => {
    const [query, value, output] = ['query', 'value', 'output'].map((p) => dense(`block${i}/attn/${p}`));
    const key = affine(get(`block${i}/attn/key/kernel`), new Float32Array(d), d);
    const oneHead = config.heads === 1;
    return {
      attnGamma: get(`block${i}/attn_ln/gamma`),
      attnBeta: get(`block${i}/attn_ln/beta`),
      query: oneHead
        ? affine(product(query.kernel, key.kernelT, d), vecTimes(query.bias, key.kernelT, d), d)
        : query,
      key: oneHead ? null : key,
      value: oneHead
        ? affine(
            product(value.kernel, output.kernel, d),
            vecTimes(value.bias, output.kernel, d, output.bias),
            d,
          )
        : value,
      output: oneHead ? null : output,
      ffnGamma: get(`block${i}/ffn_ln/gamma`),
      ffnBeta: get(`block${i}/ffn_ln/beta`),
      inner: dense(`block${i}/ffn/inner`),
      outer: dense(`block${i}/ffn/outer`),
    };
  });
  const prepared: EncoderWeights = {
    itemEmbedding: get('item_embedding'),
    positionEmbedding: get('position_embedding'),
    timeGapWeight: config.useTimeGaps ? get('time_gap_weight') : null,
    typeEmbedding: config.useTypes ? get('type_embedding') : null,
    blocks,
    firstBlockTables: null,
    finalGamma: get('final_ln/gamma'),
    finalBeta: get('final_ln/beta'),
  };
  const tableCount = config.heads === 1 ? 2 : 3;
  if (config.blocks > 1 && tableCount * (numItems + 1 + config.maxLength + TYPE_ROWS) * d <= tableBudget) {
    prepared.firstBlockTables = firstBlockTables(prepared, blocks[0], numItems, config);
  }
  return prepared;
}

function firstBlockTables(
  w: EncoderWeights,
  block: BlockWeights,
  numItems: number,
  config: SasRecConfig,
): FirstBlockTables {
  const d = config.dim;
  const table = (map: Affine, bias: Float32Array): InputTable => {
    const items = new Float32Array((numItems + 1) * d);
    matMulTransposed(w.itemEmbedding, map.kernelT, numItems + 1, d, d, items);
    const scale = Math.sqrt(d);
    for (let i = 0; i < items.length; i++) items[i] *= scale;
    const positions = new Float32Array(config.maxLength * d);
    matMulTransposed(w.positionEmbedding, map.kernelT, config.maxLength, d, d, positions);
    const gap = w.timeGapWeight && vecTimes(w.timeGapWeight, map.kernel, d);
    const types = w.typeEmbedding && new Float32Array(TYPE_ROWS * d);
    if (types) matMulTransposed(w.typeEmbedding!, map.kernelT, TYPE_ROWS, d, d, types);
    return { items, positions, gap, types, bias };
  };
  // diag(gamma) M: row i of the kernel times gamma[i].
  const scaled = block.query.kernel.map((v, index) => v * block.attnGamma[Math.floor(index / d)]);
  const queryColumnSums = new Float32Array(d);
  for (let i = 0; i < d * d; i++) queryColumnSums[i % d] += scaled[i];
  const queryBias = vecTimes(block.attnBeta, block.query.kernel, d, block.query.bias);
  return {
    query: table(affine(scaled, queryBias, d), queryBias),
    queryColumnSums,
    key: block.key && table(block.key, block.key.bias),
    value: table(block.value, block.value.bias),
  };
}

function affine(kernel: Float32Array, bias: Float32Array, d: number): Affine {
  return { kernel, kernelT: transpose(kernel, d, d), bias };
}

/** a · b for two [d, d] kernels. */
function product(a: Float32Array, b: Float32Array, d: number): Float32Array {
  const out = new Float32Array(d * d);
  matMul(a, b, d, d, d, out);
  return out;
}

/** x [d] · W [d, d] (+ bias). */
function vecTimes(x: Float32Array, W: Float32Array, d: number, bias?: Float32Array): Float32Array {
  const out = new Float32Array(d);
  vecMat(x, W, d, out, bias);
  return out;
}

/**
 * [rows, cols] -> [cols, rows], row-major.
 *
 * @example
 * transpose(Float32Array.from([1, 2, 3, 4, 5, 6]), 2, 3); // [1, 4, 2, 5, 3, 6]
 */
export function transpose(
  x: Float32Array,
  rows: number,
  cols: number,
  out: Float32Array = new Float32Array(rows * cols),
): Float32Array {
  for (let r = 0; r < rows; r++) for (let c = 0; c < cols; c++) out[c * rows + r] = x[r * cols + c];
  return out;
}
