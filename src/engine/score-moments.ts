/**
 * The first and second moments of a set of vectors, Σx and Σxxᵀ, which give the mean and standard
 * deviation of the scores q · x over the whole set for any query q in O(width²), without scoring
 * one row: mean = q · Σx / n, E[s²] = qᵀ (Σxxᵀ) q / n.
 */

/** Mean and standard deviation of one query's scores over a set of items. */
export interface ScoreStats {
  mean: number;
  std: number;
}

/**
 * Σ x and Σ x xᵀ (upper triangle) over rows of one width.
 *
 * @example
 * const moments = new Moments(65);
 * moments.addRows(itemRows, 1);
 * const { mean, std } = moments.scoreStats(query);
 */
export class Moments {
  private readonly sum: Float64Array;
  private readonly products: Float64Array;
  private count = 0;

  constructor(private readonly width: number) {
    this.sum = new Float64Array(width);
    this.products = new Float64Array(width * width);
  }

  /** An independent copy. */
  clone(): Moments {
    const copy = new Moments(this.width);
    copy.sum.set(this.sum);
    copy.products.set(this.products);
    copy.count = this.count;
    return copy;
  }

  /** Rows added so far (minus those taken back). */
  get size(): number {
    return this.count;
  }

  /** Adds (sign 1) or takes back (sign −1) the rows of a row-major block. */
  addRows(rows: Float32Array, sign: 1 | -1): void {
    const { width, sum, products } = this;
    for (let o = 0; o < rows.length; o += width) {
      for (let r = 0; r < width; r++) {
        const x = rows[o + r] * sign;
        if (x === 0) continue;
        sum[r] += x;
        for (let c = r; c < width; c++) products[r * width + c] += x * rows[o + c];
      }
      this.count += sign;
    }
  }

  /**
   * Mean and std of q · x over the rows: q · Σx / n and qᵀ (Σ x xᵀ) q / n − mean². The std is 1 where
   * it is 0 or undefined, as a divisor should be.
   */
  scoreStats(q: Float32Array): ScoreStats {
    const { count, mean, meanSquare } = this.scoreMoments(q);
    if (count === 0) return { mean: 0, std: 1 };
    return { mean, std: count > 1 ? Math.sqrt(Math.max(meanSquare - mean * mean, 0)) || 1 : 1 };
  }

  /** The count, mean and mean square of q · x over the rows, for pooling groups exactly. */
  scoreMoments(q: Float32Array): { count: number; mean: number; meanSquare: number } {
    const { width, sum, products, count } = this;
    if (count === 0) return { count, mean: 0, meanSquare: 0 };
    let mean = 0;
    let square = 0;
    for (let r = 0; r < width; r++) {
      mean += q[r] * sum[r];
      square += q[r] * q[r] * products[r * width + r];
      let offDiagonal = 0;
      for (let c = r + 1; c < width; c++) offDiagonal += products[r * width + c] * q[c];
      square += 2 * q[r] * offDiagonal;
    }
    return { count, mean: mean / count, meanSquare: square / count };
  }
}
