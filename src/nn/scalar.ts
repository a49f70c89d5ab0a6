/**
 * Plain-TypeScript dense kernels for inference over Float32Array (no tfjs). Layouts follow tfjs:
 * a dense kernel W is [in, out] row-major (y = x · W), matrices are row-major [rows, cols].
 * Loops put the contiguous index innermost and allocate nothing.
 */

/** out[n] = sum_k x[k] * W[k, n] (+ bias[n]). */
export function vecMat(
  x: Float32Array,
  W: Float32Array,
  n: number,
  out: Float32Array,
  bias?: Float32Array,
): void {
  if (bias) out.set(bias.subarray(0, n));
  else out.fill(0, 0, n);
  const k = x.length;
  for (let i = 0; i < k; i++) {
    const xi = x[i];
    if (xi === 0) continue;
    const row = i * n;
    for (let j = 0; j < n; j++) out[j] += xi * W[row + j];
  }
}

/** C[m, n] = A[m, k] · B[k, n] (+ bias[n] on every row). */
export function matMul(
  A: Float32Array,
  B: Float32Array,
  m: number,
  k: number,
  n: number,
  C: Float32Array,
  bias?: Float32Array,
): void {
  for (let r = 0; r < m; r++) {
    const c0 = r * n;
    if (bias) C.set(bias.subarray(0, n), c0);
    else C.fill(0, c0, c0 + n);
    const a0 = r * k;
    for (let i = 0; i < k; i++) {
      const a = A[a0 + i];
      if (a === 0) continue;
      const b0 = i * n;
      for (let j = 0; j < n; j++) C[c0 + j] += a * B[b0 + j];
    }
  }
}

export function dot(a: Float32Array, aOffset: number, b: Float32Array, bOffset: number, n: number): number {
  let s = 0;
  for (let i = 0; i < n; i++) s += a[aOffset + i] * b[bOffset + i];
  return s;
}

/** Layer norm of each row of x [rows, n] in place: (x - mean) / sqrt(var + eps) * gamma + beta. */
export function layerNormRows(
  x: Float32Array,
  rows: number,
  n: number,
  gamma: Float32Array,
  beta: Float32Array,
  eps: number,
): void {
  for (let r = 0; r < rows; r++) {
    const o = r * n;
    let mean = 0;
    for (let i = 0; i < n; i++) mean += x[o + i];
    mean /= n;
    let variance = 0;
    for (let i = 0; i < n; i++) variance += (x[o + i] - mean) ** 2;
    const inv = 1 / Math.sqrt(variance / n + eps);
    for (let i = 0; i < n; i++) x[o + i] = (x[o + i] - mean) * inv * gamma[i] + beta[i];
  }
}

export function reluInPlace(x: Float32Array, length = x.length): void {
  for (let i = 0; i < length; i++) if (x[i] < 0) x[i] = 0;
}

export function sigmoid(x: number): number {
  return x >= 0 ? 1 / (1 + Math.exp(-x)) : Math.exp(x) / (1 + Math.exp(x));
}

/** x[i] = sigmoid(x[i]) for start <= i < end. */
export function sigmoidInPlace(x: Float32Array, start: number, end: number): void {
  for (let i = start; i < end; i++) x[i] = sigmoid(x[i]);
}

/** x[i] = tanh(x[i]) for start <= i < end. */
export function tanhInPlace(x: Float32Array, start: number, end: number): void {
  for (let i = start; i < end; i++) x[i] = Math.tanh(x[i]);
}

/** Softmax of x[offset .. offset+n) in place. */
export function softmaxInPlace(x: Float32Array, offset: number, n: number): void {
  let max = Number.NEGATIVE_INFINITY;
  for (let i = 0; i < n; i++) if (x[offset + i] > max) max = x[offset + i];
  let sum = 0;
  for (let i = 0; i < n; i++) {
    const e = Math.exp(x[offset + i] - max);
    x[offset + i] = e;
    sum += e;
  }
  for (let i = 0; i < n; i++) x[offset + i] /= sum;
}

/**
 * C[m, n] = A[m, k] · Bᵀ (+ bias[n] on every row), with B given row-major as [n, k]: a dense kernel
 * stored transposed ([out, in]), or the rows of a table to score against. Blocks of 4 rows × 4 columns
 * keep 16 sums in registers, ~4 GFLOP/s in V8 against ~0.7 for `matMul`'s row-axpy loop. A last column
 * block past n repeats column n - 1 (the same value is written twice), so any n works.
 *
 * @example
 * matMulTransposed(rows, kernelT, n, d, d, out, bias); // a dense layer on n rows, kernelT = Wᵀ [out, in]
 * matMulTransposed(user, itemTable, 1, d, numItems, scores); // one user scored against every item
 */
export function matMulTransposed(
  A: Float32Array,
  B: Float32Array,
  m: number,
  k: number,
  n: number,
  C: Float32Array,
  bias?: Float32Array,
): void {
  const fullRows = m - (m % 4);
  for (let r = 0; r < fullRows; r += 4) {
    const a0 = r * k;
    const a1 = a0 + k;
    const a2 = a1 + k;
    const a3 = a2 + k;
    for (let j0 = 0; j0 < n; j0 += 4) {
      const j1 = j0 + 1 < n ? j0 + 1 : n - 1;
      const j2 = j0 + 2 < n ? j0 + 2 : n - 1;
      const j3 = j0 + 3 < n ? j0 + 3 : n - 1;
      const b0 = j0 * k;
      const b1 = j1 * k;
      const b2 = j2 * k;
      const b3 = j3 * k;
      let s00 = 0,
        s01 = 0,
        s02 = 0,
        s03 = 0,
        s10 = 0,
        s11 = 0,
        s12 = 0,
        s13 = 0;
      let s20 = 0,
        s21 = 0,
        s22 = 0,
        s23 = 0,
        s30 = 0,
        s31 = 0,
        s32 = 0,
        s33 = 0;
      for (let i = 0; i < k; i++) {
        const y0 = B[b0 + i];
        const y1 = B[b1 + i];
        const y2 = B[b2 + i];
        const y3 = B[b3 + i];
        let x = A[a0 + i];
        s00 += x * y0;
        s01 += x * y1;
        s02 += x * y2;
        s03 += x * y3;
        x = A[a1 + i];
        s10 += x * y0;
        s11 += x * y1;
        s12 += x * y2;
        s13 += x * y3;
        x = A[a2 + i];
        s20 += x * y0;
        s21 += x * y1;
        s22 += x * y2;
        s23 += x * y3;
        x = A[a3 + i];
        s30 += x * y0;
        s31 += x * y1;
        s32 += x * y2;
        s33 += x * y3;
      }
      const e0 = bias ? bias[j0] : 0;
      const e1 = bias ? bias[j1] : 0;
      const e2 = bias ? bias[j2] : 0;
      const e3 = bias ? bias[j3] : 0;
      let c = r * n;
      C[c + j0] = s00 + e0;
      C[c + j1] = s01 + e1;
      C[c + j2] = s02 + e2;
      C[c + j3] = s03 + e3;
      c += n;
      C[c + j0] = s10 + e0;
      C[c + j1] = s11 + e1;
      C[c + j2] = s12 + e2;
      C[c + j3] = s13 + e3;
      c += n;
      C[c + j0] = s20 + e0;
      C[c + j1] = s21 + e1;
      C[c + j2] = s22 + e2;
      C[c + j3] = s23 + e3;
      c += n;
      C[c + j0] = s30 + e0;
      C[c + j1] = s31 + e1;
      C[c + j2] = s32 + e2;
      C[c + j3] = s33 + e3;
    }
  }
  for (let r = fullRows; r < m; r++) {
    const a0 = r * k;
    const c = r * n;
    for (let j0 = 0; j0 < n; j0 += 4) {
      const j1 = j0 + 1 < n ? j0 + 1 : n - 1;
      const j2 = j0 + 2 < n ? j0 + 2 : n - 1;
      const j3 = j0 + 3 < n ? j0 + 3 : n - 1;
      const b0 = j0 * k;
      const b1 = j1 * k;
      const b2 = j2 * k;
      const b3 = j3 * k;
      let s0 = 0;
      let s1 = 0;
      let s2 = 0;
      let s3 = 0;
      for (let i = 0; i < k; i++) {
        const x = A[a0 + i];
        s0 += x * B[b0 + i];
        s1 += x * B[b1 + i];
        s2 += x * B[b2 + i];
        s3 += x * B[b3 + i];
      }
      C[c + j0] = s0 + (bias ? bias[j0] : 0);
      C[c + j1] = s1 + (bias ? bias[j1] : 0);
      C[c + j2] = s2 + (bias ? bias[j2] : 0);
      C[c + j3] = s3 + (bias ? bias[j3] : 0);
    }
  }
}

/**
 * One head of causal self-attention over `rows` positions:
 * out[t] = Σ_{s ≤ t} softmax_s(scale · q[t] · k[s]) · v[s].
 * q, k and out are row-major [rows, width]; vT holds the values transposed, [width, rows]; weights is
 * scratch of 4 * rows. Four queries at a time share every key and value load (~3 GFLOP/s in V8); a last
 * block past the end repeats row rows - 1 (the same values are written twice).
 *
 * @example
 * causalAttention(queries, keys, valuesT, n, d, 1 / Math.sqrt(d), new Float32Array(4 * n), out);
 */
export function causalAttention(
  q: Float32Array,
  k: Float32Array,
  vT: Float32Array,
  rows: number,
  width: number,
  scale: number,
  weights: Float32Array,
  out: Float32Array,
): void {
  for (let t0 = 0; t0 < rows; t0 += 4) {
    const t1 = t0 + 1 < rows ? t0 + 1 : rows - 1;
    const t2 = t0 + 2 < rows ? t0 + 2 : rows - 1;
    const t3 = t0 + 3 < rows ? t0 + 3 : rows - 1;
    const keys = t3 + 1;
    attentionScores(q, k, rows, width, scale, t0 * width, t1 * width, t2 * width, t3 * width, keys, weights);
    // Unnormalised weights exp(score - max) for keys up to the query, 0 after; outputs are divided by the sums.
    const sum0 = expShifted(weights, 0, t0 + 1, keys);
    const sum1 = expShifted(weights, rows, t1 + 1, keys);
    const sum2 = expShifted(weights, 2 * rows, t2 + 1, keys);
    const sum3 = expShifted(weights, 3 * rows, t3 + 1, keys);
    weightedValues(
      vT,
      rows,
      width,
      t0,
      t1,
      t2,
      t3,
      keys,
      weights,
      out,
      1 / sum0,
      1 / sum1,
      1 / sum2,
      1 / sum3,
    );
  }
}

/** weights[i * rows + s] = scale · q[qi] · k[s] for the four query rows at offsets q0..q3, keys s < keys. */
function attentionScores(
  q: Float32Array,
  k: Float32Array,
  rows: number,
  width: number,
  scale: number,
  q0: number,
  q1: number,
  q2: number,
  q3: number,
  keys: number,
  weights: Float32Array,
): void {
  for (let s0 = 0; s0 < keys; s0 += 2) {
    const s1 = s0 + 1 < keys ? s0 + 1 : s0;
    const k0 = s0 * width;
    const k1 = s1 * width;
    let x00 = 0,
      x01 = 0,
      x10 = 0,
      x11 = 0,
      x20 = 0,
      x21 = 0,
      x30 = 0,
      x31 = 0;
    for (let c = 0; c < width; c++) {
      const y0 = k[k0 + c];
      const y1 = k[k1 + c];
      let x = q[q0 + c];
      x00 += x * y0;
      x01 += x * y1;
      x = q[q1 + c];
      x10 += x * y0;
      x11 += x * y1;
      x = q[q2 + c];
      x20 += x * y0;
      x21 += x * y1;
      x = q[q3 + c];
      x30 += x * y0;
      x31 += x * y1;
    }
    weights[s0] = x00 * scale;
    weights[s1] = x01 * scale;
    weights[rows + s0] = x10 * scale;
    weights[rows + s1] = x11 * scale;
    weights[2 * rows + s0] = x20 * scale;
    weights[2 * rows + s1] = x21 * scale;
    weights[3 * rows + s0] = x30 * scale;
    weights[3 * rows + s1] = x31 * scale;
  }
}

/** x[offset + s] <- exp(x[offset + s] - max) for s < count, 0 for count <= s < end; returns the sum. */
function expShifted(x: Float32Array, offset: number, count: number, end: number): number {
  let max = Number.NEGATIVE_INFINITY;
  for (let i = offset; i < offset + count; i++) if (x[i] > max) max = x[i];
  let sum = 0;
  for (let i = offset; i < offset + count; i++) {
    const e = Math.exp(x[i] - max);
    x[i] = e;
    sum += e;
  }
  x.fill(0, offset + count, offset + end);
  return sum;
}

/** out[ti] = inv_i · Σ_s weights[i * rows + s] · v[s] for the four query rows t0..t3, 4 columns at a time. */
function weightedValues(
  vT: Float32Array,
  rows: number,
  width: number,
  t0: number,
  t1: number,
  t2: number,
  t3: number,
  keys: number,
  weights: Float32Array,
  out: Float32Array,
  inv0: number,
  inv1: number,
  inv2: number,
  inv3: number,
): void {
  const o0 = t0 * width;
  const o1 = t1 * width;
  const o2 = t2 * width;
  const o3 = t3 * width;
  const w1 = rows;
  const w2 = 2 * rows;
  const w3 = 3 * rows;
  for (let c0 = 0; c0 < width; c0 += 4) {
    const c1 = c0 + 1 < width ? c0 + 1 : width - 1;
    const c2 = c0 + 2 < width ? c0 + 2 : width - 1;
    const c3 = c0 + 3 < width ? c0 + 3 : width - 1;
    const v0 = c0 * rows;
    const v1 = c1 * rows;
    const v2 = c2 * rows;
    const v3 = c3 * rows;
    let s00 = 0,
      s01 = 0,
      s02 = 0,
      s03 = 0,
      s10 = 0,
      s11 = 0,
      s12 = 0,
      s13 = 0;
    let s20 = 0,
      s21 = 0,
      s22 = 0,
      s23 = 0,
      s30 = 0,
      s31 = 0,
      s32 = 0,
      s33 = 0;
    for (let s = 0; s < keys; s++) {
      const y0 = vT[v0 + s];
      const y1 = vT[v1 + s];
      const y2 = vT[v2 + s];
      const y3 = vT[v3 + s];
      let p = weights[s];
      s00 += p * y0;
      s01 += p * y1;
      s02 += p * y2;
      s03 += p * y3;
      p = weights[w1 + s];
      s10 += p * y0;
      s11 += p * y1;
      s12 += p * y2;
      s13 += p * y3;
      p = weights[w2 + s];
      s20 += p * y0;
      s21 += p * y1;
      s22 += p * y2;
      s23 += p * y3;
      p = weights[w3 + s];
      s30 += p * y0;
      s31 += p * y1;
      s32 += p * y2;
      s33 += p * y3;
    }
    out[o0 + c0] = s00 * inv0;
    out[o0 + c1] = s01 * inv0;
    out[o0 + c2] = s02 * inv0;
    out[o0 + c3] = s03 * inv0;
    out[o1 + c0] = s10 * inv1;
    out[o1 + c1] = s11 * inv1;
    out[o1 + c2] = s12 * inv1;
    out[o1 + c3] = s13 * inv1;
    out[o2 + c0] = s20 * inv2;
    out[o2 + c1] = s21 * inv2;
    out[o2 + c2] = s22 * inv2;
    out[o2 + c3] = s23 * inv2;
    out[o3 + c0] = s30 * inv3;
    out[o3 + c1] = s31 * inv3;
    out[o3 + c2] = s32 * inv3;
    out[o3 + c3] = s33 * inv3;
  }
}

/**
 * `vecMat` taking four rows of W per pass, so `out` is loaded and stored a quarter as often: about 2x
 * faster in V8 (100 x 300: 27 -> 15 us). Same contract as `vecMat` (k = x.length).
 */
export function vecMatUnrolled(
  x: Float32Array,
  W: Float32Array,
  n: number,
  out: Float32Array,
  bias?: Float32Array,
): void {
  if (bias) out.set(bias.subarray(0, n));
  else out.fill(0, 0, n);
  const k = x.length;
  let i = 0;
  for (; i + 4 <= k; i += 4) {
    const x0 = x[i];
    const x1 = x[i + 1];
    const x2 = x[i + 2];
    const x3 = x[i + 3];
    const r0 = i * n;
    const r1 = r0 + n;
    const r2 = r1 + n;
    const r3 = r2 + n;
    for (let j = 0; j < n; j++) out[j] += x0 * W[r0 + j] + x1 * W[r1 + j] + x2 * W[r2 + j] + x3 * W[r3 + j];
  }
  for (; i < k; i++) {
    const xi = x[i];
    const row = i * n;
    for (let j = 0; j < n; j++) out[j] += xi * W[row + j];
  }
}

/**
 * Softmax cross-entropy of each row of logits [rows, columns] (rows = targets.length) against its
 * target column (>= 1), column 0 (padding) excluded, with bias[columns] added first. Each row is
 * replaced by scale · (softmax − onehot(target)) (column 0: 0), the gradient of the scaled loss, and
 * added into columnSums when given, and transposed ([columns, rows]) into gradientT when given. Returns
 * Σ over the rows of logSumExp − logit[target].
 *
 * @example
 * const lossSum = softmaxCrossEntropy(logits, targets, numItems + 1, 1 / targets.length, bias, biasGrad);
 */
export function softmaxCrossEntropy(
  logits: Float32Array,
  targets: Int32Array,
  columns: number,
  scale: number,
  bias?: Float32Array,
  columnSums?: Float32Array,
  gradientT?: Float32Array,
): number {
  let total = 0;
  const rows = targets.length;
  for (let r = 0; r < rows; r++) {
    const offset = r * columns;
    if (bias) for (let c = 1; c < columns; c++) logits[offset + c] += bias[c];
    let largest = Number.NEGATIVE_INFINITY;
    for (let c = 1; c < columns; c++) largest = Math.max(largest, logits[offset + c]);
    const target = targets[r];
    const picked = logits[offset + target];
    let sum = 0;
    for (let c = 1; c < columns; c++) {
      const e = Math.exp(logits[offset + c] - largest);
      logits[offset + c] = e;
      sum += e;
    }
    total += Math.log(sum) + largest - picked;
    logits[offset] = 0;
    for (let c = 1; c < columns; c++) {
      const g = (logits[offset + c] * scale) / sum - (c === target ? scale : 0);
      logits[offset + c] = g;
      if (columnSums) columnSums[c] += g;
    }
    if (gradientT) for (let c = 0; c < columns; c++) gradientT[c * rows + r] = logits[offset + c];
  }
  return total;
}

/**
 * The shape of a batch of products out_i = op(A_{aSlices[i]}) · op(B_{bSlices[i]}), op a transpose where
 * asked: a holds slices of [m, k] ([k, m] when transposeA), b of [k, n] ([n, k] when transposeB), out the
 * [m, n] results in order.
 */
export interface BatchedProduct {
  m: number;
  k: number;
  n: number;
  transposeA: boolean;
  transposeB: boolean;
  /** For each product, the index of the slice of a (and of b) it reads: broadcasting repeats one. */
  aSlices: Int32Array;
  bSlices: Int32Array;
}

/**
 * out_i = op(A_{aSlices[i]}) · op(B_{bSlices[i]}) for every i (tfjs's BatchMatMul after broadcasting).
 *
 * @example
 * batchedMatMul(a, b, out, { m, k, n, transposeA: false, transposeB: true, aSlices, bSlices });
 */
export function batchedMatMul(
  a: Float32Array,
  b: Float32Array,
  out: Float32Array,
  product: BatchedProduct,
): void {
  const { m, k, n, transposeA, transposeB, aSlices, bSlices } = product;
  const [aRow, aDepth] = transposeA ? [1, m] : [k, 1];
  const [bDepth, bColumn] = transposeB ? [1, k] : [n, 1];
  for (let i = 0; i < aSlices.length; i++) {
    const aBase = aSlices[i] * m * k;
    const bBase = bSlices[i] * k * n;
    const outBase = i * m * n;
    for (let r = 0; r < m; r++) {
      for (let j = 0; j < n; j++) {
        let sum = 0;
        for (let p = 0; p < k; p++)
          sum += a[aBase + r * aRow + p * aDepth] * b[bBase + p * bDepth + j * bColumn];
        out[outBase + r * n + j] = sum;
      }
    }
  }
}
