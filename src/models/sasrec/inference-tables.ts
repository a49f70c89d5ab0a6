/**
 * The first block's projections from precomputed tables (see `encoder-weights.ts`): O(n · d) sums of
 * table rows instead of three [n, d] x [d, d] products per request.
 */
import type { SasRecConfig } from './config.js';
import type { BlockWeights, FirstBlockTables, InputTable } from './encoder-weights.js';
import type { Scratch } from './inference-scratch.js';

/**
 * normed = LN(x) and the first block's q, k, v rows, from `tables` and the window rows' ids, gaps and
 * types in `s` (written by the encoder's embedding step).
 *
 * @example
 * projectFromTables(prepared.firstBlockTables, prepared.blocks[0], config, scratch, n, config.maxLength);
 */
export function projectFromTables(
  tables: FirstBlockTables,
  w: BlockWeights,
  config: SasRecConfig,
  s: Scratch,
  n: number,
  end: number,
): void {
  const { dim: d, layerNormEps } = config;
  const { x, normed, q, k, v } = s;
  const sums = tables.queryColumnSums;
  const queryBias = tables.query.bias;
  for (let t = 0; t < n; t++) {
    const o = t * d;
    let mean = 0;
    for (let i = 0; i < d; i++) mean += x[o + i];
    mean /= d;
    let variance = 0;
    for (let i = 0; i < d; i++) variance += (x[o + i] - mean) ** 2;
    const inv = 1 / Math.sqrt(variance / d + layerNormEps);
    for (let i = 0; i < d; i++) normed[o + i] = (x[o + i] - mean) * inv * w.attnGamma[i] + w.attnBeta[i];
    const position = end - n + t;
    tableRow(tables.query, s, t, position, d, q);
    for (let i = 0; i < d; i++) q[o + i] = (q[o + i] - mean * sums[i]) * inv + queryBias[i];
    if (tables.key) {
      tableRow(tables.key, s, t, position, d, k);
      addRow(k, o, tables.key.bias, 0, d);
    }
    tableRow(tables.value, s, t, position, d, v);
    addRow(v, o, tables.value.bias, 0, d);
  }
}

/** out[t] = items[id] + positions[position] (+ gap · gap row) (+ types[type]). */
function tableRow(table: InputTable, s: Scratch, t: number, position: number, d: number, out: Float32Array) {
  const { items, positions, gap, types } = table;
  const o = t * d;
  const e = s.ids[t] * d;
  const p = position * d;
  for (let i = 0; i < d; i++) out[o + i] = items[e + i] + positions[p + i];
  if (gap) {
    const g = s.gaps[t];
    for (let i = 0; i < d; i++) out[o + i] += g * gap[i];
  }
  if (types) addRow(out, o, types, s.typeRows[t] * d, d);
}

/** out[offset .. offset + d) += from[start .. start + d). */
function addRow(out: Float32Array, offset: number, from: Float32Array, start: number, d: number): void {
  for (let i = 0; i < d; i++) out[offset + i] += from[start + i];
}
