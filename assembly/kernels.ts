// WebAssembly SIMD kernels for plain-TypeScript inference and for training (the full-softmax loss,
// tfjs-wasm's transposed and batched products), in AssemblyScript, compiled by `npm run build:wasm`
// into src/nn/wasm/kernels-binary.ts. Matrices are row-major f32 in the imported memory, passed as
// byte offsets; nothing else in memory is touched (no data, no stack), so the memory may be another
// module's. The JS reference is the function of the same name in src/nn/scalar.ts.
// Modes (any other value: the full product):

/** Row r of C is only needed at columns j <= r (causal attention scores). */
const CAUSAL_COLUMNS: i32 = 1;
/** Row r of A is zero after column r (causal attention weights): the sums stop there. */
const CAUSAL_INNER: i32 = 2;

@inline
function sum4(v: v128): f32 {
  return f32x4.extract_lane(v, 0) + f32x4.extract_lane(v, 1) + f32x4.extract_lane(v, 2) + f32x4.extract_lane(v, 3);
}

@inline
function at(base: usize, index: i32): usize {
  return base + (<usize>index << 2);
}

/**
 * C[m, n] = A[m, k] · B[n, k]ᵀ (+ bias[n] on every row when bias != 0). Four rows of A against two rows of
 * B at a time, four lanes along k: six loads feed eight multiply-adds and the eight sums stay in registers.
 * Rows left over (m not a multiple of 4, or one user against a table) go one at a time against four rows
 * of B. A last column block past n repeats column n - 1, writing the same value twice.
 */
export function matMulTransposed(a: usize, b: usize, c: usize, bias: usize, m: i32, k: i32, n: i32, mode: i32): void {
  const fullRows = m - (m & 3);
  for (let r = 0; r < fullRows; r += 4) {
    const columns = mode == CAUSAL_COLUMNS ? min(n, r + 4) : n;
    const depth = mode == CAUSAL_INNER ? min(k, r + 4) : k;
    const vectorDepth = depth & ~3;
    const a0 = at(a, r * k);
    const a1 = at(a0, k);
    const a2 = at(a1, k);
    const a3 = at(a2, k);
    for (let j0 = 0; j0 < columns; j0 += 2) {
      const j1 = j0 + 1 < n ? j0 + 1 : n - 1;
      const b0 = at(b, j0 * k);
      const b1 = at(b, j1 * k);
      let s00 = f32x4.splat(0), s01 = f32x4.splat(0);
      let s10 = f32x4.splat(0), s11 = f32x4.splat(0);
      let s20 = f32x4.splat(0), s21 = f32x4.splat(0);
      let s30 = f32x4.splat(0), s31 = f32x4.splat(0);
      for (let i = 0; i < vectorDepth; i += 4) {
        const y0 = v128.load(at(b0, i));
        const y1 = v128.load(at(b1, i));
        let x = v128.load(at(a0, i));
        s00 = f32x4.add(s00, f32x4.mul(x, y0));
        s01 = f32x4.add(s01, f32x4.mul(x, y1));
        x = v128.load(at(a1, i));
        s10 = f32x4.add(s10, f32x4.mul(x, y0));
        s11 = f32x4.add(s11, f32x4.mul(x, y1));
        x = v128.load(at(a2, i));
        s20 = f32x4.add(s20, f32x4.mul(x, y0));
        s21 = f32x4.add(s21, f32x4.mul(x, y1));
        x = v128.load(at(a3, i));
        s30 = f32x4.add(s30, f32x4.mul(x, y0));
        s31 = f32x4.add(s31, f32x4.mul(x, y1));
      }
      let t00 = sum4(s00), t01 = sum4(s01), t10 = sum4(s10), t11 = sum4(s11);
      let t20 = sum4(s20), t21 = sum4(s21), t30 = sum4(s30), t31 = sum4(s31);
      for (let i = vectorDepth; i < depth; i++) {
        const y0 = load<f32>(at(b0, i));
        const y1 = load<f32>(at(b1, i));
        let x = load<f32>(at(a0, i));
        t00 += x * y0;
        t01 += x * y1;
        x = load<f32>(at(a1, i));
        t10 += x * y0;
        t11 += x * y1;
        x = load<f32>(at(a2, i));
        t20 += x * y0;
        t21 += x * y1;
        x = load<f32>(at(a3, i));
        t30 += x * y0;
        t31 += x * y1;
      }
      const e0: f32 = bias ? load<f32>(at(bias, j0)) : 0;
      const e1: f32 = bias ? load<f32>(at(bias, j1)) : 0;
      let row = at(c, r * n);
      store<f32>(at(row, j0), t00 + e0);
      store<f32>(at(row, j1), t01 + e1);
      row = at(row, n);
      store<f32>(at(row, j0), t10 + e0);
      store<f32>(at(row, j1), t11 + e1);
      row = at(row, n);
      store<f32>(at(row, j0), t20 + e0);
      store<f32>(at(row, j1), t21 + e1);
      row = at(row, n);
      store<f32>(at(row, j0), t30 + e0);
      store<f32>(at(row, j1), t31 + e1);
    }
  }
  for (let r = fullRows; r < m; r++) {
    const columns = mode == CAUSAL_COLUMNS ? min(n, r + 1) : n;
    const depth = mode == CAUSAL_INNER ? min(k, r + 1) : k;
    const vectorDepth = depth & ~3;
    const a0 = at(a, r * k);
    const row = at(c, r * n);
    for (let j0 = 0; j0 < columns; j0 += 4) {
      const j1 = j0 + 1 < n ? j0 + 1 : n - 1;
      const j2 = j0 + 2 < n ? j0 + 2 : n - 1;
      const j3 = j0 + 3 < n ? j0 + 3 : n - 1;
      const b0 = at(b, j0 * k);
      const b1 = at(b, j1 * k);
      const b2 = at(b, j2 * k);
      const b3 = at(b, j3 * k);
      let s0 = f32x4.splat(0), s1 = f32x4.splat(0), s2 = f32x4.splat(0), s3 = f32x4.splat(0);
      for (let i = 0; i < vectorDepth; i += 4) {
        const x = v128.load(at(a0, i));
        s0 = f32x4.add(s0, f32x4.mul(x, v128.load(at(b0, i))));
        s1 = f32x4.add(s1, f32x4.mul(x, v128.load(at(b1, i))));
        s2 = f32x4.add(s2, f32x4.mul(x, v128.load(at(b2, i))));
        s3 = f32x4.add(s3, f32x4.mul(x, v128.load(at(b3, i))));
      }
      let t0 = sum4(s0), t1 = sum4(s1), t2 = sum4(s2), t3 = sum4(s3);
      for (let i = vectorDepth; i < depth; i++) {
        const x = load<f32>(at(a0, i));
        t0 += x * load<f32>(at(b0, i));
        t1 += x * load<f32>(at(b1, i));
        t2 += x * load<f32>(at(b2, i));
        t3 += x * load<f32>(at(b3, i));
      }
      store<f32>(at(row, j0), t0 + (bias ? load<f32>(at(bias, j0)) : 0));
      store<f32>(at(row, j1), t1 + (bias ? load<f32>(at(bias, j1)) : 0));
      store<f32>(at(row, j2), t2 + (bias ? load<f32>(at(bias, j2)) : 0));
      store<f32>(at(row, j3), t3 + (bias ? load<f32>(at(bias, j3)) : 0));
    }
  }
}

// exp: Cephes' expf, 2^n · p(r) with x = n ln 2 + r, |r| <= ln 2 / 2; relative error ~2e-7. x is
// clamped to [-87, 88], so the result is never denormal and never infinite.
const LOG2E: f32 = 1.44269504;
const LN2_HIGH: f32 = 0.693359375;
const LN2_LOW: f32 = -2.12194440e-4;
const EXP_FLOOR: f32 = -87.0;
const EXP_CEILING: f32 = 88.0;
const P0: f32 = 1.9875691500e-4;
const P1: f32 = 1.3981999507e-3;
const P2: f32 = 8.3334519073e-3;
const P3: f32 = 4.1665795894e-2;
const P4: f32 = 1.6666665459e-1;
const P5: f32 = 5.0000001201e-1;

@inline
function expLanes(x: v128): v128 {
  x = f32x4.min(f32x4.max(x, f32x4.splat(EXP_FLOOR)), f32x4.splat(EXP_CEILING));
  const n = f32x4.nearest(f32x4.mul(x, f32x4.splat(LOG2E)));
  let r = f32x4.sub(x, f32x4.mul(n, f32x4.splat(LN2_HIGH)));
  r = f32x4.sub(r, f32x4.mul(n, f32x4.splat(LN2_LOW)));
  let p = f32x4.add(f32x4.mul(f32x4.splat(P0), r), f32x4.splat(P1));
  p = f32x4.add(f32x4.mul(p, r), f32x4.splat(P2));
  p = f32x4.add(f32x4.mul(p, r), f32x4.splat(P3));
  p = f32x4.add(f32x4.mul(p, r), f32x4.splat(P4));
  p = f32x4.add(f32x4.mul(p, r), f32x4.splat(P5));
  p = f32x4.add(f32x4.add(f32x4.mul(f32x4.mul(p, r), r), r), f32x4.splat(1));
  const scale = i32x4.shl(i32x4.add(i32x4.trunc_sat_f32x4_s(n), i32x4.splat(127)), 23);
  return f32x4.mul(p, scale);
}

@inline
function expScalar(x: f32): f32 {
  return f32x4.extract_lane(expLanes(f32x4.splat(x)), 0);
}

/** The largest of row[0 .. length). */
@inline
function rowMax(row: usize, length: i32): f32 {
  const vectorLength = length & ~3;
  let lanes = f32x4.splat(-Infinity);
  for (let i = 0; i < vectorLength; i += 4) lanes = f32x4.max(lanes, v128.load(at(row, i)));
  let largest = max(
    max(f32x4.extract_lane(lanes, 0), f32x4.extract_lane(lanes, 1)),
    max(f32x4.extract_lane(lanes, 2), f32x4.extract_lane(lanes, 3)),
  );
  for (let i = vectorLength; i < length; i++) largest = max(largest, load<f32>(at(row, i)));
  return largest;
}

/**
 * Row t of scores [rows, rows] becomes softmax_s(scale · scores[t, s]) over s <= t, and 0 up to the end
 * of its block of four rows' columns (what `matMulTransposed` in causal-inner mode reads). scale > 0.
 */
export function causalSoftmax(scores: usize, rows: i32, scale: f32): void {
  const factor = f32x4.splat(scale);
  for (let t = 0; t < rows; t++) {
    const row = at(scores, t * rows);
    const length = t + 1;
    const vectorLength = length & ~3;
    const largest = rowMax(row, length);
    const shift = f32x4.splat(largest);
    let sumLanes = f32x4.splat(0);
    for (let s = 0; s < vectorLength; s += 4) {
      const e = expLanes(f32x4.mul(f32x4.sub(v128.load(at(row, s)), shift), factor));
      v128.store(at(row, s), e);
      sumLanes = f32x4.add(sumLanes, e);
    }
    let sum = sum4(sumLanes);
    for (let s = vectorLength; s < length; s++) {
      const e = expScalar((load<f32>(at(row, s)) - largest) * scale);
      store<f32>(at(row, s), e);
      sum += e;
    }
    const inverse = f32x4.splat(1 / sum);
    for (let s = 0; s < vectorLength; s += 4) v128.store(at(row, s), f32x4.mul(v128.load(at(row, s)), inverse));
    const inverseScalar: f32 = 1 / sum;
    for (let s = vectorLength; s < length; s++) store<f32>(at(row, s), load<f32>(at(row, s)) * inverseScalar);
    const end = min(rows, (t | 3) + 1);
    for (let s = length; s < end; s++) store<f32>(at(row, s), 0);
  }
}

/**
 * out[n] = x[k] · W[k, n] (+ bias[n] when bias != 0): sixteen columns at a time held in four lane
 * registers over all k rows, then four, then one.
 */
export function vecMat(x: usize, w: usize, out: usize, bias: usize, k: i32, n: i32): void {
  let j = 0;
  for (; j + 16 <= n; j += 16) {
    let s0 = bias ? v128.load(at(bias, j)) : f32x4.splat(0);
    let s1 = bias ? v128.load(at(bias, j + 4)) : f32x4.splat(0);
    let s2 = bias ? v128.load(at(bias, j + 8)) : f32x4.splat(0);
    let s3 = bias ? v128.load(at(bias, j + 12)) : f32x4.splat(0);
    for (let i = 0; i < k; i++) {
      const xi = f32x4.splat(load<f32>(at(x, i)));
      const row = at(w, i * n + j);
      s0 = f32x4.add(s0, f32x4.mul(xi, v128.load(row)));
      s1 = f32x4.add(s1, f32x4.mul(xi, v128.load(row, 16)));
      s2 = f32x4.add(s2, f32x4.mul(xi, v128.load(row, 32)));
      s3 = f32x4.add(s3, f32x4.mul(xi, v128.load(row, 48)));
    }
    v128.store(at(out, j), s0);
    v128.store(at(out, j + 4), s1);
    v128.store(at(out, j + 8), s2);
    v128.store(at(out, j + 12), s3);
  }
  for (; j + 4 <= n; j += 4) {
    let s = bias ? v128.load(at(bias, j)) : f32x4.splat(0);
    for (let i = 0; i < k; i++) {
      s = f32x4.add(s, f32x4.mul(f32x4.splat(load<f32>(at(x, i))), v128.load(at(w, i * n + j))));
    }
    v128.store(at(out, j), s);
  }
  for (; j < n; j++) {
    let s: f32 = bias ? load<f32>(at(bias, j)) : 0;
    for (let i = 0; i < k; i++) s += load<f32>(at(x, i)) * load<f32>(at(w, i * n + j));
    store<f32>(at(out, j), s);
  }
}

/** x[i] = 1 / (1 + exp(-x[i])) for start <= i < end. */
export function sigmoidInPlace(x: usize, start: i32, end: i32): void {
  const one = f32x4.splat(1);
  let i = start;
  for (; i + 4 <= end; i += 4) {
    v128.store(at(x, i), f32x4.div(one, f32x4.add(one, expLanes(f32x4.neg(v128.load(at(x, i)))))));
  }
  for (; i < end; i++) store<f32>(at(x, i), 1 / (1 + expScalar(-load<f32>(at(x, i)))));
}

/** x[i] = tanh(x[i]) = 2 / (1 + exp(-2 x[i])) - 1 for start <= i < end (absolute error ~1e-7). */
export function tanhInPlace(x: usize, start: i32, end: i32): void {
  const one = f32x4.splat(1);
  const two = f32x4.splat(2);
  let i = start;
  for (; i + 4 <= end; i += 4) {
    const e = expLanes(f32x4.mul(f32x4.splat(-2), v128.load(at(x, i))));
    v128.store(at(x, i), f32x4.sub(f32x4.div(two, f32x4.add(one, e)), one));
  }
  for (; i < end; i++) store<f32>(at(x, i), 2 / (1 + expScalar(-2 * load<f32>(at(x, i)))) - 1);
}

/**
 * Softmax cross-entropy of each row of logits [rows, columns] against targets[rows] (i32 column
 * indices >= 1), column 0 (padding) excluded, with bias[columns] added first when bias != 0. Each row
 * is replaced by scale · (softmax − onehot(target)) (column 0: 0), its gradient, and added into
 * columnSums[columns] when columnSums != 0. Row r's loss, log(stats[2r]) + stats[2r + 1], is left to the
 * caller: Math.log would bring AssemblyScript's lookup tables into memory the callers use from offset 0.
 */
export function softmaxCrossEntropy(
  logits: usize,
  targets: usize,
  bias: usize,
  columnSums: usize,
  stats: usize,
  rows: i32,
  columns: i32,
  scale: f32,
): void {
  const vectorEnd = columns & ~3;
  for (let r = 0; r < rows; r++) {
    const row = at(logits, r * columns);
    if (bias) {
      for (let c = 0; c < vectorEnd; c += 4) {
        v128.store(at(row, c), f32x4.add(v128.load(at(row, c)), v128.load(at(bias, c))));
      }
      for (let c = vectorEnd; c < columns; c++) store<f32>(at(row, c), load<f32>(at(row, c)) + load<f32>(at(bias, c)));
    }
    store<f32>(row, -Infinity);
    const largest = rowMax(row, columns);
    const target = load<i32>(targets + (<usize>r << 2));
    const picked = load<f32>(at(row, target));
    const shift = f32x4.splat(largest);
    let sumLanes = f32x4.splat(0);
    for (let c = 0; c < vectorEnd; c += 4) {
      const e = expLanes(f32x4.sub(v128.load(at(row, c)), shift));
      v128.store(at(row, c), e);
      sumLanes = f32x4.add(sumLanes, e);
    }
    let sum = sum4(sumLanes);
    for (let c = vectorEnd; c < columns; c++) {
      const e = expScalar(load<f32>(at(row, c)) - largest);
      store<f32>(at(row, c), e);
      sum += e;
    }
    // exp is clamped below, so the padding column holds a tiny positive value (below f32's resolution
    // of the sum); its gradient is set to exactly 0
    sum -= load<f32>(row);
    store<f32>(row, 0);
    store<f32>(at(stats, 2 * r), sum);
    store<f32>(at(stats, 2 * r + 1), largest - picked);
    const factorScalar: f32 = scale / sum;
    const factor = f32x4.splat(factorScalar);
    for (let c = 0; c < vectorEnd; c += 4) {
      const g = f32x4.mul(v128.load(at(row, c)), factor);
      v128.store(at(row, c), g);
      if (columnSums) v128.store(at(columnSums, c), f32x4.add(v128.load(at(columnSums, c)), g));
    }
    for (let c = vectorEnd; c < columns; c++) {
      const g = load<f32>(at(row, c)) * factorScalar;
      store<f32>(at(row, c), g);
      if (columnSums) store<f32>(at(columnSums, c), load<f32>(at(columnSums, c)) + g);
    }
    store<f32>(at(row, target), load<f32>(at(row, target)) - scale);
    if (columnSums) store<f32>(at(columnSums, target), load<f32>(at(columnSums, target)) - scale);
  }
}

/** out[cols, rows] = in[rows, cols]ᵀ, four by four tiles turned in registers. */
export function transpose(source: usize, target: usize, rows: i32, cols: i32): void {
  const fullRows = rows & ~3;
  const fullCols = cols & ~3;
  for (let r = 0; r < fullRows; r += 4) {
    const s0 = at(source, r * cols);
    const s1 = at(s0, cols);
    const s2 = at(s1, cols);
    const s3 = at(s2, cols);
    for (let c = 0; c < fullCols; c += 4) {
      const v0 = v128.load(at(s0, c));
      const v1 = v128.load(at(s1, c));
      const v2 = v128.load(at(s2, c));
      const v3 = v128.load(at(s3, c));
      const low01 = v128.shuffle<f32>(v0, v1, 0, 4, 1, 5);
      const low23 = v128.shuffle<f32>(v2, v3, 0, 4, 1, 5);
      const high01 = v128.shuffle<f32>(v0, v1, 2, 6, 3, 7);
      const high23 = v128.shuffle<f32>(v2, v3, 2, 6, 3, 7);
      v128.store(at(target, c * rows + r), v128.shuffle<f32>(low01, low23, 0, 1, 4, 5));
      v128.store(at(target, (c + 1) * rows + r), v128.shuffle<f32>(low01, low23, 2, 3, 6, 7));
      v128.store(at(target, (c + 2) * rows + r), v128.shuffle<f32>(high01, high23, 0, 1, 4, 5));
      v128.store(at(target, (c + 3) * rows + r), v128.shuffle<f32>(high01, high23, 2, 3, 6, 7));
    }
    for (let c = fullCols; c < cols; c++) {
      for (let i = 0; i < 4; i++) store<f32>(at(target, c * rows + r + i), load<f32>(at(source, (r + i) * cols + c)));
    }
  }
  for (let r = fullRows; r < rows; r++) {
    for (let c = 0; c < cols; c++) store<f32>(at(target, c * rows + r), load<f32>(at(source, r * cols + c)));
  }
}

/** Steps along k per pass of `matMul`: a packed panel of B (DEPTH_BLOCK x 8 floats, 8 KiB) stays in L1. */
const DEPTH_BLOCK: i32 = 256;
/** Floats of scratch `matMul` needs: the packed panel and a 4 x 8 tile for the last, narrower columns. */
export const MAT_MUL_SCRATCH: i32 = DEPTH_BLOCK * 8 + 32;

/**
 * C[m, n] = A · B for B row-major [k, n]. A's element (r, p) sits at index r · rowStride + p · depthStride,
 * so A may be stored transposed ([k, m]: rowStride 1, depthStride m) at no cost. As in GotoBLAS: k goes in
 * blocks of DEPTH_BLOCK, each block of B in panels of eight columns packed contiguously (zero-padded past
 * n) into `scratch` (MAT_MUL_SCRATCH floats), and each panel meets every four rows of A in registers: per
 * step along k, two loads of the panel and four broadcasts of A feed eight multiply-adds. The first block
 * of k writes C (it need not be initialised), later ones add into it.
 */
export function matMul(
  a: usize, b: usize, c: usize, m: i32, k: i32, n: i32, rowStride: i32, depthStride: i32, scratch: usize,
): void {
  if (k == 0) memory.fill(c, 0, <usize>(m * n) << 2);
  const tile = at(scratch, DEPTH_BLOCK * 8);
  for (let p0 = 0; p0 < k; p0 += DEPTH_BLOCK) {
    const depth = min(k - p0, DEPTH_BLOCK);
    const first = p0 == 0;
    const aBlock = at(a, p0 * depthStride);
    for (let j = 0; j < n; j += 8) {
      const width = min(8, n - j);
      packPanel(at(b, p0 * n + j), n, depth, width, scratch);
      for (let r = 0; r < m; r += 4) {
        const rows = min(4, m - r);
        const aRows = at(aBlock, r * rowStride);
        const cTile = at(c, r * n + j);
        if (width == 8 && rows == 4) {
          tile4x8(aRows, rowStride, depthStride, scratch, depth, cTile, n, first);
        } else {
          // Narrow or short: through a full 4 x 8 tile (stride 8), rows past m reading row r again.
          if (!first) copyTile(cTile, n, tile, 8, rows, width);
          tile4x8Rows(aRows, rowStride, depthStride, scratch, depth, tile, first, rows - 1);
          copyTile(tile, 8, cTile, n, rows, width);
        }
      }
    }
  }
}

/** panel[p · 8 + j] = B[p, j] for j < width, 0 beyond (B's rows `stride` floats apart). */
@inline
function packPanel(b: usize, stride: i32, depth: i32, width: i32, panel: usize): void {
  if (width == 8) {
    for (let p = 0; p < depth; p++) {
      const row = at(b, p * stride);
      v128.store(at(panel, p * 8), v128.load(row));
      v128.store(at(panel, p * 8 + 4), v128.load(row, 16));
    }
    return;
  }
  for (let p = 0; p < depth; p++) {
    for (let j = 0; j < 8; j++) store<f32>(at(panel, p * 8 + j), j < width ? load<f32>(at(b, p * stride + j)) : 0);
  }
}

/** Copies rows x width floats between two row strides. */
@inline
function copyTile(source: usize, sourceStride: i32, target: usize, targetStride: i32, rows: i32, width: i32): void {
  for (let i = 0; i < rows; i++) {
    for (let j = 0; j < width; j++) store<f32>(at(target, i * targetStride + j), load<f32>(at(source, i * sourceStride + j)));
  }
}

/** The 4 x 8 tile at c (rows `stride` apart) += or = A's four rows times the packed panel. */
@inline
function tile4x8(
  a: usize, rowStride: i32, depthStride: i32, panel: usize, depth: i32, c: usize, stride: i32, first: bool,
): void {
  tile4x8Rows(a, rowStride, depthStride, panel, depth, c, first, 3, stride);
}

/** As tile4x8, reading A's row min(i, lastRow) for tile row i (rows past the matrix repeat its last). */
@inline
function tile4x8Rows(
  a: usize, rowStride: i32, depthStride: i32, panel: usize, depth: i32, c: usize, first: bool, lastRow: i32,
  stride: i32 = 8,
): void {
  const a0 = a;
  const a1 = at(a, min(1, lastRow) * rowStride);
  const a2 = at(a, min(2, lastRow) * rowStride);
  const a3 = at(a, min(3, lastRow) * rowStride);
  const c0 = c;
  const c1 = at(c0, stride);
  const c2 = at(c1, stride);
  const c3 = at(c2, stride);
  const zero = f32x4.splat(0);
  let s00 = first ? zero : v128.load(c0), s01 = first ? zero : v128.load(c0, 16);
  let s10 = first ? zero : v128.load(c1), s11 = first ? zero : v128.load(c1, 16);
  let s20 = first ? zero : v128.load(c2), s21 = first ? zero : v128.load(c2, 16);
  let s30 = first ? zero : v128.load(c3), s31 = first ? zero : v128.load(c3, 16);
  for (let p = 0; p < depth; p++) {
    const y0 = v128.load(at(panel, p * 8));
    const y1 = v128.load(at(panel, p * 8 + 4));
    const step = p * depthStride;
    let x = v128.load32_splat(at(a0, step));
    s00 = f32x4.add(s00, f32x4.mul(x, y0));
    s01 = f32x4.add(s01, f32x4.mul(x, y1));
    x = v128.load32_splat(at(a1, step));
    s10 = f32x4.add(s10, f32x4.mul(x, y0));
    s11 = f32x4.add(s11, f32x4.mul(x, y1));
    x = v128.load32_splat(at(a2, step));
    s20 = f32x4.add(s20, f32x4.mul(x, y0));
    s21 = f32x4.add(s21, f32x4.mul(x, y1));
    x = v128.load32_splat(at(a3, step));
    s30 = f32x4.add(s30, f32x4.mul(x, y0));
    s31 = f32x4.add(s31, f32x4.mul(x, y1));
  }
  v128.store(c0, s00);
  v128.store(c0, s01, 16);
  v128.store(c1, s10);
  v128.store(c1, s11, 16);
  v128.store(c2, s20);
  v128.store(c2, s21, 16);
  v128.store(c3, s30);
  v128.store(c3, s31, 16);
}
