/**
 * Cosine similarity of two vectors of the same length (0 when either is all zeros).
 *
 * @example
 * cosine(new Float32Array([1, 0]), new Float32Array([1, 1])); // 0.7071...
 */
export function cosine(a: Float32Array, b: Float32Array): number {
  let dot = 0;
  let normA = 0;
  let normB = 0;
  for (let i = 0; i < a.length; i++) {
    dot += a[i] * b[i];
    normA += a[i] * a[i];
    normB += b[i] * b[i];
  }
  return normA === 0 || normB === 0 ? 0 : dot / Math.sqrt(normA * normB);
}

/**
 * Row-major vectors [n, dim] scaled to unit length (zero rows stay zero), so that dot products are
 * cosines.
 *
 * @example
 * const rows = unitRows(itemText.vectors, itemText.dim);
 */
export function unitRows(vectors: Float32Array, dim: number): Float32Array<ArrayBuffer> {
  const rows = new Float32Array(vectors.length);
  for (let offset = 0; offset < vectors.length; offset += dim) {
    let norm = 0;
    for (let d = 0; d < dim; d++) norm += vectors[offset + d] ** 2;
    const scale = norm > 0 ? 1 / Math.sqrt(norm) : 0;
    for (let d = 0; d < dim; d++) rows[offset + d] = vectors[offset + d] * scale;
  }
  return rows;
}
