/**
 * A wrapper around the wasm backend's own `BatchMatMul` that keeps every product fast.
 *
 * Stock tfjs-backend-wasm 4.22 reaches XNNPACK's fully-connected operator (~20 GFLOP/s here) only for one
 * [M,K]x[K,N] matrix with no transpose flags; transposed products (every backward pass) and batched ones
 * (attention) fall to a naive loop at 0.3-2 GFLOP/s. Those go by one of two routes:
 * - 'simd' (where the runtime has WebAssembly SIMD): Tide's own SIMD product (assembly/kernels.ts), which
 *   reads a transposed left operand in place and loops over the batch without making tensors.
 * - 'xnnpack': transpose explicitly with the wasm `Transpose` kernel and call the stock kernel once per
 *   [M,K]x[K,N] slice. XNNPACK caches packed weights per tensor id (dropped when the tensor is disposed),
 *   so every distinct right-hand slice gets a fresh tensor, and is repacked: this per-slice cost is what
 *   the 'simd' route saves (bench: npm run bench -- train-speed).
 * Every temporary is released before the kernel returns.
 */
import * as tf from '@tensorflow/tfjs';
import { type BatchedMatMul, batchedMatMulKernel, hasSimdKernels } from '../wasm/kernels.js';
import {
  allocate,
  asWasmBackend,
  copyToFreshTensor,
  float32HeapView,
  type KernelArgs,
  kernelInput,
  release,
  type WasmBackend,
} from './wasm-heap.js';

const KERNEL_NAME = 'BatchMatMul';

/** How the wrapper computes the products the stock kernel computes slowly (see above). */
export type BatchMatMulRoute = 'simd' | 'xnnpack';

/** Our kernel function, carrying the stock config it wraps (so the fix can be undone) and its route. */
interface PatchedKernelFunc extends tf.KernelFunc {
  stockKernel: tf.KernelConfig;
  route: BatchMatMulRoute;
}

function isPatched(kernelFunc: tf.KernelFunc): kernelFunc is PatchedKernelFunc {
  return 'stockKernel' in kernelFunc;
}

function product(dims: readonly number[]): number {
  let size = 1;
  for (const dim of dims) size *= dim;
  return size;
}

/**
 * For each batch of the broadcast output (flat, row-major), the flat batch index of one operand under
 * numpy broadcasting: shapes are right-aligned and size-1 (or missing) dimensions repeat.
 *
 * @example
 * broadcastBatchIndices([2, 3], [2, 1]); // Int32Array [0, 0, 0, 1, 1, 1]
 */
export function broadcastBatchIndices(
  outBatchShape: readonly number[],
  operandBatchShape: readonly number[],
): Int32Array {
  const outCount = product(outBatchShape);
  const operandIndexByOutBatch = new Int32Array(outCount);
  const rankOffset = outBatchShape.length - operandBatchShape.length;
  for (let flat = 0; flat < outCount; flat++) {
    let remainder = flat;
    let operandFlat = 0;
    let operandStride = 1;
    for (let d = outBatchShape.length - 1; d >= 0; d--) {
      const coordinate = remainder % outBatchShape[d];
      remainder = Math.floor(remainder / outBatchShape[d]);
      const operandDim = d - rankOffset >= 0 ? operandBatchShape[d - rankOffset] : 1;
      if (operandDim !== 1) operandFlat += coordinate * operandStride;
      operandStride *= operandDim;
    }
    operandIndexByOutBatch[flat] = operandFlat;
  }
  return operandIndexByOutBatch;
}

/** Swaps the last two dimensions into a new tensor, with the wasm backend's own Transpose kernel. */
function transposeLastTwo(backend: WasmBackend, x: tf.TensorInfo): tf.TensorInfo {
  const transpose = tf.getKernel('Transpose', 'wasm');
  if (transpose === undefined) throw new Error("wasm kernel 'Transpose' is not registered");
  const rank = x.shape.length;
  const perm = [...Array(rank - 2).keys(), rank - 1, rank - 2];
  return transpose.kernelFunc({ inputs: { x }, backend, attrs: { perm } }) as tf.TensorInfo;
}

/** One [rows, cols] slice of a batched row-major operand; `owned` slices must be released. */
interface MatrixSlice {
  info: tf.TensorInfo;
  batchIndex: number;
  owned: boolean;
}

function takeSlice(backend: WasmBackend, operand: tf.TensorInfo, batchIndex: number): MatrixSlice {
  const [rows, cols] = operand.shape.slice(-2);
  if (product(operand.shape.slice(0, -2)) === 1) return { info: operand, batchIndex, owned: false };
  const info = copyToFreshTensor(backend, operand, batchIndex * rows * cols, [rows, cols]);
  return { info, batchIndex, owned: true };
}

function dropSlice(backend: WasmBackend, slice: MatrixSlice | null): void {
  if (slice?.owned) release(backend, slice.info);
}

/** The slice for `batchIndex`, reusing `current` when it already is that one (a broadcast operand). */
function moveSlice(
  backend: WasmBackend,
  operand: tf.TensorInfo,
  batchIndex: number,
  current: MatrixSlice | null,
): MatrixSlice {
  if (current?.batchIndex === batchIndex) return current;
  dropSlice(backend, current); // releasing twice is harmless: disposeData ignores unknown ids
  return takeSlice(backend, operand, batchIndex);
}

/** out[i] = a[aIndex(i)] x b[bIndex(i)] for row-major a [..., M, K] and b [..., K, N]. */
function multiplySlices(
  stock: tf.KernelConfig,
  backend: WasmBackend,
  a: tf.TensorInfo,
  b: tf.TensorInfo,
): tf.TensorInfo {
  const [m, k] = a.shape.slice(-2);
  const n = b.shape[b.shape.length - 1];
  const batchA = a.shape.slice(0, -2);
  const batchB = b.shape.slice(0, -2);
  const outBatchShape = tf.broadcast_util.assertAndGetBroadcastShape(batchA, batchB);
  const out = allocate(backend, [...outBatchShape, m, n]);
  const outBatchCount = product(outBatchShape);
  if (k === 0) float32HeapView(backend, out).fill(0);
  if (k === 0 || m * n * outBatchCount === 0) return out;

  const aIndexOf = broadcastBatchIndices(outBatchShape, batchA);
  const bIndexOf = broadcastBatchIndices(outBatchShape, batchB);
  const plain = { transposeA: false, transposeB: false };
  let aSlice: MatrixSlice | null = null;
  let bSlice: MatrixSlice | null = null;
  try {
    for (let i = 0; i < outBatchCount; i++) {
      aSlice = moveSlice(backend, a, aIndexOf[i], aSlice);
      bSlice = moveSlice(backend, b, bIndexOf[i], bSlice);
      const inputs = { a: aSlice.info, b: bSlice.info };
      const slice = stock.kernelFunc({ inputs, backend, attrs: plain }) as tf.TensorInfo;
      float32HeapView(backend, out).set(float32HeapView(backend, slice), i * m * n);
      release(backend, slice);
    }
  } finally {
    dropSlice(backend, aSlice);
    dropSlice(backend, bSlice);
  }
  return out;
}

/** The products on Tide's SIMD kernel: a, b and out are copied through the kernel's own memory. */
function multiplyOnKernel(
  multiply: BatchedMatMul,
  backend: WasmBackend,
  a: tf.TensorInfo,
  b: tf.TensorInfo,
  transposeA: boolean,
  transposeB: boolean,
): tf.TensorInfo {
  const [m, k] = transposeA ? a.shape.slice(-2).reverse() : a.shape.slice(-2);
  const n = transposeB ? b.shape[b.shape.length - 2] : b.shape[b.shape.length - 1];
  const batchA = a.shape.slice(0, -2);
  const batchB = b.shape.slice(0, -2);
  const outBatchShape = tf.broadcast_util.assertAndGetBroadcastShape(batchA, batchB);
  const out = allocate(backend, [...outBatchShape, m, n]);
  const aSlices = broadcastBatchIndices(outBatchShape, batchA);
  const bSlices = broadcastBatchIndices(outBatchShape, batchB);
  // Views taken after the allocation above: allocating may grow the heap and detach earlier ones.
  const [aView, bView, outView] = [a, b, out].map((info) => float32HeapView(backend, info));
  multiply(aView, bView, outView, { m, k, n, transposeA, transposeB, aSlices, bSlices });
  return out;
}

function patchedBatchMatMul(
  stock: tf.KernelConfig,
  multiply: BatchedMatMul | null,
  args: KernelArgs,
): tf.TensorInfo {
  const a = kernelInput(args, 'a');
  const b = kernelInput(args, 'b');
  const { transposeA, transposeB } = args.attrs as unknown as tf.BatchMatMulAttrs;
  const singleMatrices = product(a.shape.slice(0, -2)) === 1 && product(b.shape.slice(0, -2)) === 1;
  const stockIsFast = !transposeA && !transposeB && singleMatrices;
  if (stockIsFast || a.dtype !== 'float32' || b.dtype !== 'float32') {
    return stock.kernelFunc(args) as tf.TensorInfo; // fast path as is; stock reports bad dtypes
  }
  const innerA = a.shape[a.shape.length - (transposeA ? 2 : 1)];
  const innerB = b.shape[b.shape.length - (transposeB ? 1 : 2)];
  tf.util.assert(
    innerA === innerB && a.shape.length >= 2 && b.shape.length >= 2,
    () =>
      `Error in matMul: inner shapes (${innerA}) and (${innerB}) of tensors with shapes ${a.shape} and ` +
      `${b.shape} and transposeA=${transposeA} and transposeB=${transposeB} must match.`,
  );

  const backend = asWasmBackend(args.backend);
  if (multiply) return multiplyOnKernel(multiply, backend, a, b, transposeA, transposeB);
  const aRowMajor = transposeA ? transposeLastTwo(backend, a) : a; // [..., M, K]
  let bRowMajor: tf.TensorInfo | null = null;
  try {
    bRowMajor = transposeB ? transposeLastTwo(backend, b) : b; // [..., K, N]
    return multiplySlices(stock, backend, aRowMajor, bRowMajor);
  } finally {
    if (transposeA) release(backend, aRowMajor);
    if (transposeB && bRowMajor !== null) release(backend, bRowMajor);
  }
}

/** The route of the wasm `BatchMatMul` registered in tfjs, or null while it is the stock kernel. */
export function batchMatMulRoute(): BatchMatMulRoute | null {
  const current = tf.getKernel(KERNEL_NAME, 'wasm');
  return current !== undefined && isPatched(current.kernelFunc) ? current.kernelFunc.route : null;
}

/** True while the wasm `BatchMatMul` registered in tfjs is this wrapper. */
export function isBatchMatMulFixed(): boolean {
  return batchMatMulRoute() !== null;
}

/**
 * Replaces the registered wasm `BatchMatMul` with the wrapper on `route` ('simd' where the runtime has
 * it, else 'xnnpack'); a no-op when already so. Needs `@tensorflow/tfjs-backend-wasm` loaded (it
 * registers the stock kernel on import).
 */
export function registerBatchMatMulFix(
  route: BatchMatMulRoute = hasSimdKernels() ? 'simd' : 'xnnpack',
): void {
  const current = tf.getKernel(KERNEL_NAME, 'wasm');
  if (current === undefined) throw new Error("wasm kernel 'BatchMatMul' is not registered");
  if (isPatched(current.kernelFunc) && current.kernelFunc.route === route) return;
  const stock = isPatched(current.kernelFunc) ? current.kernelFunc.stockKernel : current;
  const multiply = route === 'simd' ? batchedMatMulKernel('simd') : null;
  const kernelFunc: PatchedKernelFunc = Object.assign(
    (args: KernelArgs) => patchedBatchMatMul(stock, multiply, args),
    { stockKernel: stock, route },
  );
  tf.unregisterKernel(KERNEL_NAME, 'wasm');
  tf.registerKernel({ ...stock, kernelFunc });
}

/** Puts the stock kernel back (for benchmarks that compare the two). */
export function unregisterBatchMatMulFix(): void {
  const current = tf.getKernel(KERNEL_NAME, 'wasm');
  if (current === undefined || !isPatched(current.kernelFunc)) return;
  tf.unregisterKernel(KERNEL_NAME, 'wasm');
  tf.registerKernel(current.kernelFunc.stockKernel);
}
