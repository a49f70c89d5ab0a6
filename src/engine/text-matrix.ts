/**
 * Unit-normalised text vectors of the catalogue in one row-major block [capacity, dim], so that the
 * similarity of a query to every item is one pass of dot products.
 */
export class TextMatrix {
  private rows: Float32Array;
  private present: Uint8Array;
  private capacity: number;

  constructor(
    readonly dim: number,
    initialCapacity = 1024,
  ) {
    this.capacity = Math.max(1, initialCapacity);
    this.rows = new Float32Array(this.capacity * dim);
    this.present = new Uint8Array(this.capacity);
  }

  /** Sets row `index` to the unit vector of `vector` (a zero vector stays absent). */
  set(index: number, vector: Float32Array): void {
    if (vector.length !== this.dim)
      throw new RangeError(`text vector has ${vector.length} dims, expected ${this.dim}`);
    this.grow(index + 1);
    let norm = 0;
    for (let d = 0; d < this.dim; d++) norm += vector[d] * vector[d];
    if (norm === 0) return;
    const scale = 1 / Math.sqrt(norm);
    const row = this.rows.subarray(index * this.dim, (index + 1) * this.dim);
    for (let d = 0; d < this.dim; d++) row[d] = vector[d] * scale;
    this.present[index] = 1;
  }

  has(index: number): boolean {
    return index < this.capacity && this.present[index] === 1;
  }

  /** Item `index`'s unit text vector (a view: do not write), or null when it has no text. */
  row(index: number): Float32Array | null {
    return this.has(index) ? this.rows.subarray(index * this.dim, (index + 1) * this.dim) : null;
  }

  /**
   * Cosine similarity of `query` to the rows `indices` (NaN for rows without text): the candidates'
   * share of `similarities`.
   */
  similaritiesOf(query: Float32Array, indices: Int32Array): Float32Array {
    const out = new Float32Array(indices.length).fill(Number.NaN);
    const scale = inverseNorm(query);
    if (scale === 0) return out;
    indices.forEach((index, p) => {
      const row = this.row(index);
      if (row) out[p] = dot(row, query) * scale;
    });
    return out;
  }

  /**
   * Cosine similarity of `query` to rows 0..count-1; NaN for rows without text.
   *
   * @example
   * const similarities = matrix.similarities(queryVector, catalog.size);
   */
  similarities(query: Float32Array, count: number): Float32Array {
    const out = new Float32Array(count).fill(Number.NaN);
    const scale = inverseNorm(query);
    if (scale === 0) return out;
    const dim = this.dim;
    for (let i = 0; i < Math.min(count, this.capacity); i++) {
      if (!this.present[i]) continue;
      let dot = 0;
      const offset = i * dim;
      for (let d = 0; d < dim; d++) dot += this.rows[offset + d] * query[d];
      out[i] = dot * scale;
    }
    return out;
  }

  private grow(needed: number): void {
    if (needed <= this.capacity) return;
    const capacity = Math.max(needed, this.capacity * 2);
    const rows = new Float32Array(capacity * this.dim);
    rows.set(this.rows);
    const present = new Uint8Array(capacity);
    present.set(this.present);
    this.rows = rows;
    this.present = present;
    this.capacity = capacity;
  }
}

/** 1 / ‖v‖, or 0 for the zero vector. */
function inverseNorm(vector: Float32Array): number {
  let norm = 0;
  for (let d = 0; d < vector.length; d++) norm += vector[d] * vector[d];
  return norm > 0 ? 1 / Math.sqrt(norm) : 0;
}

function dot(a: Float32Array, b: Float32Array): number {
  let sum = 0;
  for (let d = 0; d < a.length; d++) sum += a[d] * b[d];
  return sum;
}
