/**
 * Layer 0's input projection of one event for the plain-TS inference: x·W + b with
 * x = item embedding (+ gap feature · time_gap_weight) (+ type embedding).
 */
import { matMul, vecMatUnrolled } from '../../nn/scalar.js';
import { gateCount, type RnnConfig, TYPE_ROWS } from './config.js';

/** Largest precomputed item table, in floats (64 MiB); bigger catalogues project per event. */
export const DEFAULT_INPUT_TABLE_FLOATS = 1 << 24;

/**
 * x·W is linear in x's three parts, so when `(numItems + 1) · gates · hiddenDim` fits in
 * `maxTableFloats` the item part (with the bias) is precomputed for every item, [numItems + 1, gates]
 * row-major, and an event costs a row copy instead of an [embeddingDim, gates] product. The gap and
 * type parts are then projected once too ([gates] and [7, gates]). Same values up to float rounding.
 *
 * @example
 * const inputs = new InputProjection(config, numItems, (name) => weights.get(name)!.data);
 * inputs.project(item, gapFeature, typeCode, projectedGates);
 */
export class InputProjection {
  private readonly gates: number;
  private readonly embeddingDim: number;
  private readonly kernel: Float32Array;
  private readonly bias: Float32Array;
  private readonly embedding: Float32Array;
  private readonly gapWeight: Float32Array | null;
  private readonly typeEmbedding: Float32Array | null;
  /** [numItems + 1, gates] = item_embedding · W + b, or null when too big. */
  private readonly itemTable: Float32Array | null = null;
  private readonly gapTable: Float32Array | null = null;
  private readonly typeTable: Float32Array | null = null;
  private readonly x: Float32Array;

  constructor(
    config: RnnConfig,
    numItems: number,
    get: (name: string) => Float32Array,
    maxTableFloats = DEFAULT_INPUT_TABLE_FLOATS,
  ) {
    const e = config.embeddingDim;
    this.embeddingDim = e;
    this.gates = gateCount(config.cell) * config.hiddenDim;
    this.kernel = get('rnn0/kernel');
    this.bias = get('rnn0/bias');
    this.embedding = get('item_embedding');
    this.gapWeight = config.useTimeGaps ? get('time_gap_weight') : null;
    this.typeEmbedding = config.useTypes ? get('type_embedding') : null;
    this.x = new Float32Array(e);
    if ((numItems + 1) * this.gates > maxTableFloats) return;
    this.itemTable = new Float32Array((numItems + 1) * this.gates);
    matMul(this.embedding, this.kernel, numItems + 1, e, this.gates, this.itemTable, this.bias);
    if (this.gapWeight) {
      this.gapTable = new Float32Array(this.gates);
      matMul(this.gapWeight, this.kernel, 1, e, this.gates, this.gapTable);
    }
    if (this.typeEmbedding) {
      this.typeTable = new Float32Array(TYPE_ROWS * this.gates);
      matMul(this.typeEmbedding, this.kernel, TYPE_ROWS, e, this.gates, this.typeTable);
    }
  }

  /** Writes layer 0's x·W + b of item index `item` (row item + 1), type code `type`, into `out` [gates]. */
  project(item: number, gapFeature: number, type: number, out: Float32Array): void {
    const n = this.gates;
    if (this.itemTable) {
      const row = (item + 1) * n;
      for (let j = 0; j < n; j++) out[j] = this.itemTable[row + j];
      if (this.gapTable) for (let j = 0; j < n; j++) out[j] += gapFeature * this.gapTable[j];
      if (this.typeTable) {
        const typeRow = (type + 1) * n;
        for (let j = 0; j < n; j++) out[j] += this.typeTable[typeRow + j];
      }
      return;
    }
    const { x, embeddingDim: e } = this;
    const row = (item + 1) * e;
    for (let j = 0; j < e; j++) x[j] = this.embedding[row + j];
    if (this.gapWeight) for (let j = 0; j < e; j++) x[j] += gapFeature * this.gapWeight[j];
    if (this.typeEmbedding) {
      const typeRow = (type + 1) * e;
      for (let j = 0; j < e; j++) x[j] += this.typeEmbedding[typeRow + j];
    }
    vecMatUnrolled(x, this.kernel, n, out, this.bias);
  }
}
