/** Scratch of one encoder; row-major [maxLength, dim] unless noted, rows 0..n-1 in use. */
export interface Scratch {
  x: Float32Array; // the running hidden state
  normed: Float32Array;
  q: Float32Array;
  k: Float32Array;
  v: Float32Array;
  context: Float32Array;
  out: Float32Array;
  transposed: Float32Array; // [dim, maxLength]
  weights: Float32Array; // [maxLength, max(maxLength, 4)]: attention weights
  heads: Float32Array[]; // per-head q, k, out [maxLength, dim / heads]
  rows: Float32Array[]; // [dim] vectors for the last row
  // Per window row [maxLength]: item id (+1), time-gap feature, type row (code + 1).
  ids: Int32Array;
  gaps: Float32Array;
  typeRows: Int32Array;
}
