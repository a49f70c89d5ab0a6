/**
 * Plain-TypeScript SASRec inference (no tfjs): the network's `hidden(..., false)` at the last position
 * of the window. Only the n real events of the window are computed (padding never reaches them: padding
 * keys are masked, padding rows zeroed after each block). Every block but the last runs on all n rows,
 * the first one from precomputed tables (see `encoder-weights.ts`); the last needs only its last query.
 */
import { TideError } from '../../core/errors.js';
import { layerNormRows, reluInPlace } from '../../nn/scalar.js';
import { type KernelChoice, type Kernels, placeArrays } from '../../nn/wasm/kernels.js';
import { timeGapFeature } from '../neural/features.js';
import type { EncoderOptions, NamedWeights, SequenceEncoder } from '../neural/network.js';
import { type SasRecConfig, TYPE_ROWS } from './config.js';
import { type BlockWeights, type EncoderWeights, encoderWeights } from './encoder-weights.js';
import { attendLastRow, attendRows } from './inference-attention.js';
import type { Scratch } from './inference-scratch.js';
import { projectFromTables } from './inference-tables.js';

/** Floats the first block's tables may take (64 MiB): about 130k items at dim 64 with one head. */
const TABLE_BUDGET = 1 << 24;

/**
 * Builds the encoder of a trained SASRec from its saved weights (the names `SasRecNetwork.variables`
 * has). Not re-entrant: one encoder reuses its scratch buffers between calls (JS is single-threaded).
 *
 * @example
 * const encoder = createEncoder(config, numItems, weights);
 * const user = new Float32Array(encoder.dim);
 * encoder.encode(Int32Array.from([3, 17, 42]), user); // score item i: dot(user, item_embedding row i + 1)
 */
export function createEncoder(
  config: SasRecConfig,
  numItems: number,
  weights: NamedWeights,
  options: EncoderOptions & { tableBudget?: number } = {},
): SasRecEncoder {
  const prepared = encoderWeights(config, numItems, weights, options.tableBudget ?? TABLE_BUDGET);
  return new SasRecWindowEncoder(config, numItems, prepared, options.kernels);
}

/** SASRec's encoder, which can also give the state at an earlier position of the window. */
export interface SasRecEncoder extends SequenceEncoder {
  /**
   * The hidden state at the position `later` places before the window's last: the state after
   * `history` when `later` more events follow it in a window of maxLength (it reads at most
   * maxLength − later events).
   */
  encodeBefore(
    history: Int32Array,
    later: number,
    out: Float32Array,
    timestamps?: Float64Array,
    types?: Uint8Array,
  ): void;
}

class SasRecWindowEncoder implements SasRecEncoder {
  readonly dim: number;
  readonly kernels: Kernels;
  private readonly s: Scratch;
  private readonly w: EncoderWeights;
  /** Window position after the last event encoded: maxLength, or less in `encodeBefore`. */
  private end = 0;

  constructor(
    private readonly config: SasRecConfig,
    private readonly numItems: number,
    prepared: EncoderWeights,
    kernels: KernelChoice = 'auto',
  ) {
    const { dim: d, maxLength: L, heads } = config;
    this.dim = d;
    const matrix = () => new Float32Array(L * d);
    const scratch: Scratch = {
      ...{ x: matrix(), normed: matrix(), q: matrix(), k: matrix(), v: matrix(), context: matrix() },
      ...{ out: matrix(), transposed: matrix(), weights: new Float32Array(L * Math.max(L, 4)) },
      heads: Array.from({ length: 3 }, () => new Float32Array((L * d) / heads)),
      rows: Array.from({ length: 6 }, () => new Float32Array(d)),
      ...{ ids: new Int32Array(L), gaps: new Float32Array(L), typeRows: new Int32Array(L) },
    };
    // The blocks' maps and the scratch go where the kernels read them; the embedding tables stay.
    const placed = placeArrays([prepared.blocks, scratch], kernels);
    this.kernels = placed.kernels;
    this.w = { ...prepared, blocks: placed.trees[0] };
    this.s = placed.trees[1];
  }

  encode(history: Int32Array, out: Float32Array, timestamps?: Float64Array, types?: Uint8Array): void {
    this.encodeBefore(history, 0, out, timestamps, types);
  }

  encodeBefore(
    history: Int32Array,
    later: number,
    out: Float32Array,
    timestamps?: Float64Array,
    types?: Uint8Array,
  ): void {
    this.end = this.config.maxLength - later;
    const n = Math.max(0, Math.min(history.length, this.end));
    if (n === 0) {
      out.set(this.w.finalBeta); // every position is padding: the final layer norm of zeros
      return;
    }
    this.embed(history, n, timestamps, types);
    const { blocks, firstBlockTables } = this.w;
    for (let i = 0; i < blocks.length - 1; i++) {
      if (i === 0 && firstBlockTables)
        projectFromTables(firstBlockTables, blocks[0], this.config, this.s, n, this.end);
      else this.project(blocks[i], n);
      this.finishBlock(blocks[i], n);
    }
    const last = this.s.rows[5];
    attendLastRow(blocks[blocks.length - 1], this.config, this.s, n, last);
    layerNormRows(last, 1, this.dim, this.w.finalGamma, this.w.finalBeta, this.config.layerNormEps);
    out.set(last);
  }

  /** x[t] = E[id] · sqrt(d) + P[end - n + t] (+ gap · w) (+ T[type + 1]) for the last n events. */
  private embed(history: Int32Array, n: number, timestamps?: Float64Array, types?: Uint8Array): void {
    const { dim: d } = this.config;
    const { itemEmbedding, positionEmbedding, timeGapWeight, typeEmbedding } = this.w;
    for (const [name, values] of [
      ['timestamps', timestamps],
      ['types', types],
    ] as const) {
      if (values && values.length !== history.length) {
        throw new TideError(
          'INVALID_INPUT',
          `sasrec encode: ${values.length} ${name} for ${history.length} events`,
        );
      }
    }
    const start = history.length - n;
    const scale = Math.sqrt(d);
    const x = this.s.x;
    for (let t = 0; t < n; t++) {
      const event = start + t;
      const item = history[event];
      if (!(item >= 0 && item < this.numItems)) {
        throw new TideError(
          'INVALID_INPUT',
          `sasrec encode: item index ${item} outside [0, ${this.numItems})`,
        );
      }
      const type = types ? types[event] : 0;
      if (typeEmbedding && type >= TYPE_ROWS - 1) {
        throw new TideError(
          'INVALID_INPUT',
          `sasrec encode: event type code ${type} outside [0, ${TYPE_ROWS - 1})`,
        );
      }
      const gap =
        timeGapWeight && timestamps && event > 0
          ? timeGapFeature(timestamps[event - 1], timestamps[event])
          : 0;
      this.s.ids[t] = item + 1;
      this.s.gaps[t] = gap;
      this.s.typeRows[t] = type + 1;
      const e = (item + 1) * d;
      const p = (this.end - n + t) * d;
      const y = (type + 1) * d;
      for (let i = 0; i < d; i++) {
        let value = itemEmbedding[e + i] * scale + positionEmbedding[p + i];
        if (timeGapWeight) value += gap * timeGapWeight[i];
        if (typeEmbedding) value += typeEmbedding[y + i];
        x[t * d + i] = value;
      }
    }
  }

  /** normed = LN(x); q, k, v by the block's maps on all n rows. */
  private project(w: BlockWeights, n: number): void {
    const { dim: d, layerNormEps } = this.config;
    const { x, normed, q, k, v } = this.s;
    normed.set(x.subarray(0, n * d));
    layerNormRows(normed, n, d, w.attnGamma, w.attnBeta, layerNormEps);
    const { matMulTransposed } = this.kernels;
    matMulTransposed(normed, w.query.kernelT, n, d, d, q, w.query.bias);
    if (w.key) matMulTransposed(x, w.key.kernelT, n, d, d, k, w.key.bias);
    matMulTransposed(x, w.value.kernelT, n, d, d, v, w.value.bias);
  }

  /** x = normed + attention(q, k, v); x = LN(x); x += FFN(x). */
  private finishBlock(w: BlockWeights, n: number): void {
    const { dim: d, layerNormEps } = this.config;
    const { x, normed, q, out } = this.s;
    const size = n * d;
    attendRows(w, this.config, this.s, n, out, this.kernels);
    for (let i = 0; i < size; i++) x[i] = normed[i] + out[i];
    layerNormRows(x, n, d, w.ffnGamma, w.ffnBeta, layerNormEps);
    const { matMulTransposed } = this.kernels;
    matMulTransposed(x, w.inner.kernelT, n, d, d, q, w.inner.bias);
    reluInPlace(q, size);
    matMulTransposed(q, w.outer.kernelT, n, d, d, out, w.outer.bias);
    for (let i = 0; i < size; i++) x[i] += out[i];
  }
}
