/**
 * The dense kernels behind one seam: WebAssembly SIMD (assembly/kernels.ts) where the runtime has it,
 * the scalar ones of `scalar.ts` otherwise or when asked. For plain-TS inference the SIMD kernels read only
 * a memory of their own, so `placeArrays` first copies the arrays a model computes on into it; an array
 * outside it (or the scalar choice) takes the scalar path, which gives the same results to rounding.
 * For training, `softmaxCrossEntropyKernel` and `batchedMatMulKernel` copy through a memory of their
 * own, and `heapKernels` works in place on tfjs-wasm's heap.
 */

import { z } from 'zod';
import { TideError } from '../../core/errors.js';
import {
  batchedMatMul as batchedMatMulScalar,
  causalAttention as causalAttentionScalar,
  matMulTransposed as matMulTransposedScalar,
  sigmoidInPlace as sigmoidScalar,
  softmaxCrossEntropy as softmaxCrossEntropyScalar,
  tanhInPlace as tanhScalar,
  vecMatUnrolled as vecMatScalar,
} from '../scalar.js';
import { KERNELS_WASM } from './kernels-binary.js';

export const KernelChoice = z.enum(['auto', 'simd', 'scalar']);
export type KernelChoice = z.infer<typeof KernelChoice>;

/** The kernels have the signatures (and results, to rounding) of their scalar twins in `scalar.ts`. */
export interface Kernels {
  readonly name: 'simd' | 'scalar';
  /** C[m, n] = A[m, k] · Bᵀ (+ bias), B row-major [n, k]. */
  matMulTransposed: typeof matMulTransposedScalar;
  /** out[n] = x · W[x.length, n] (+ bias). */
  vecMat: typeof vecMatScalar;
  /** Causal self-attention of one head; the weights scratch must hold rows · max(rows, 4) floats. */
  causalAttention: typeof causalAttentionScalar;
  /** x[i] = sigmoid(x[i]) for start <= i < end. */
  sigmoidInPlace: typeof sigmoidScalar;
  /** x[i] = tanh(x[i]) for start <= i < end. */
  tanhInPlace: typeof tanhScalar;
}

/** Modes of the SIMD product (see assembly/kernels.ts). */
const FULL = 0;
const CAUSAL_COLUMNS = 1;
const CAUSAL_INNER = 2;
const PAGE_BYTES = 65536;

type Product = (
  a: number,
  b: number,
  c: number,
  bias: number,
  m: number,
  k: number,
  n: number,
  mode: number,
) => void;
type Softmax = (scores: number, rows: number, scale: number) => void;
type VecMat = (x: number, w: number, out: number, bias: number, k: number, n: number) => void;
type Activation = (x: number, start: number, end: number) => void;
type CrossEntropyRows = (
  logits: number,
  targets: number,
  bias: number,
  columnSums: number,
  stats: number,
  rows: number,
  columns: number,
  scale: number,
) => void;
/** What assembly/kernels.ts exports; pointers are byte offsets into the instance's memory. */
interface Exports {
  matMulTransposed: Product;
  causalSoftmax: Softmax;
  vecMat: VecMat;
  sigmoidInPlace: Activation;
  tanhInPlace: Activation;
  softmaxCrossEntropy: CrossEntropyRows;
  transpose: (source: number, target: number, rows: number, cols: number) => void;
  matMul: (
    a: number,
    b: number,
    c: number,
    m: number,
    k: number,
    n: number,
    rowStride: number,
    depthStride: number,
    scratch: number,
  ) => void;
  MAT_MUL_SCRATCH: { value: number };
}

/** The part of the WebAssembly API used here (the project's `lib` has no WebAssembly value types). */
interface WebAssemblyApi {
  Module: new (bytes: Uint8Array) => object;
  Memory: new (descriptor: { initial: number }) => { buffer: ArrayBuffer; grow(pages: number): number };
  Instance: new (module: object, imports: object) => { exports: Record<string, unknown> };
}
const wasm = (globalThis as unknown as { WebAssembly?: WebAssemblyApi }).WebAssembly;

let compiled: object | null | undefined;

/** The compiled kernels, or null where this runtime has no WebAssembly SIMD. */
function kernelsModule(): object | null {
  if (compiled === undefined) {
    try {
      compiled = wasm ? new wasm.Module(Buffer.from(KERNELS_WASM, 'base64')) : null;
    } catch {
      compiled = null;
    }
    if (!compiled) process.emitWarning('no WebAssembly SIMD in this runtime: Tide runs its scalar kernels');
  }
  return compiled;
}

export const scalarKernels: Kernels = {
  name: 'scalar',
  matMulTransposed: matMulTransposedScalar,
  vecMat: vecMatScalar,
  causalAttention: causalAttentionScalar,
  sigmoidInPlace: sigmoidScalar,
  tanhInPlace: tanhScalar,
};

/**
 * Copies every Float32Array reachable in `trees` (through plain objects and arrays) into one memory the
 * chosen kernels read, and returns the kernels with the trees rebuilt around the copies (an array
 * reached twice is copied once). With the scalar kernels the trees come back as they are.
 *
 * @example
 * const { kernels, trees: [blocks, scratch] } = placeArrays([weights.blocks, scratch]);
 * kernels.matMulTransposed(scratch.x, blocks[0].inner.kernelT, n, d, d, scratch.q, blocks[0].inner.bias);
 */
export function placeArrays<const T extends readonly unknown[]>(
  trees: T,
  choice: KernelChoice = 'auto',
): { kernels: Kernels; trees: T } {
  const module = chosenModule(choice);
  if (!module || !wasm) return { kernels: scalarKernels, trees };
  const arrays = new Map<Float32Array, Float32Array | null>();
  collect(trees, arrays);
  let bytes = 0;
  for (const array of arrays.keys()) bytes += align(array.byteLength);
  const memory = new wasm.Memory({ initial: Math.max(1, Math.ceil(bytes / PAGE_BYTES)) });
  const instance = new wasm.Instance(module, { env: { memory } });
  let offset = 0;
  for (const array of arrays.keys()) {
    const copy = new Float32Array(memory.buffer, offset, array.length);
    copy.set(array);
    arrays.set(array, copy);
    offset += align(array.byteLength);
  }
  return {
    kernels: simdKernels(memory.buffer, instance.exports as unknown as Exports),
    trees: rebuild(trees, arrays) as T,
  };
}

/** Softmax cross-entropy rows in place: the arguments and results (to rounding) of scalar.ts's. */
export type SoftmaxCrossEntropy = typeof softmaxCrossEntropyScalar;

/**
 * The inner loop of the full-softmax training loss (`softmaxCrossEntropy` of scalar.ts) on the SIMD kernel
 * where the runtime has it, else the scalar one (or when asked). Each call copies its arrays into a
 * memory of the kernel's own, grown to the largest call so far, and the results back.
 *
 * @example
 * const crossEntropy = softmaxCrossEntropyKernel();
 * const lossSum = crossEntropy(logits, targets, numItems + 1, 1 / targets.length, bias, biasGrad);
 */
export function softmaxCrossEntropyKernel(choice: KernelChoice = 'auto'): SoftmaxCrossEntropy {
  const module = chosenModule(choice);
  if (!module) return softmaxCrossEntropyScalar;
  const { exported, reserve } = ownMemoryInstance(module);
  return (logits, targets, columns, scale, bias, columnSums, gradientT) => {
    const rows = targets.length;
    if (rows === 0) return 0;
    const targetsAt = align(rows * columns * 4);
    const biasAt = targetsAt + align(rows * 4);
    const sumsAt = biasAt + align(columns * 4);
    const statsAt = sumsAt + align(columns * 4);
    const transposedAt = statsAt + align(rows * 8);
    const buffer = reserve(transposedAt + (gradientT ? align(rows * columns * 4) : 0));
    const rowsView = new Float32Array(buffer, 0, rows * columns);
    rowsView.set(logits.subarray(0, rows * columns));
    new Int32Array(buffer, targetsAt, rows).set(targets);
    if (bias) new Float32Array(buffer, biasAt, columns).set(bias.subarray(0, columns));
    const sumsView = new Float32Array(buffer, sumsAt, columns);
    if (columnSums) sumsView.set(columnSums.subarray(0, columns));
    exported.softmaxCrossEntropy(
      0,
      targetsAt,
      bias ? biasAt : 0,
      columnSums ? sumsAt : 0,
      statsAt,
      rows,
      columns,
      scale,
    );
    const stats = new Float32Array(buffer, statsAt, rows * 2);
    let total = 0;
    for (let r = 0; r < rows; r++) total += Math.log(stats[2 * r]) + stats[2 * r + 1];
    logits.set(rowsView);
    columnSums?.set(sumsView);
    if (gradientT) {
      exported.transpose(0, transposedAt, rows, columns);
      gradientT.set(new Float32Array(buffer, transposedAt, rows * columns));
    }
    return total;
  };
}

/** Batched products: the arguments and results (to rounding) of scalar.ts's `batchedMatMul`. */
export type BatchedMatMul = typeof batchedMatMulScalar;

/**
 * Batched matrix products (tfjs's BatchMatMul) on the SIMD kernel where the runtime has it, else the
 * scalar one (or when asked). Each call copies a and b into a memory of the kernel's own (grown to the
 * largest call so far), turns each slice of a transposed b with the transpose kernel, reads a transposed
 * a in place through its strides, and copies the products back.
 *
 * @example
 * const multiply = batchedMatMulKernel();
 * multiply(q, k, scores, { m: 200, k: 50, n: 200, transposeA: false, transposeB: true, aSlices, bSlices });
 */
export function batchedMatMulKernel(choice: KernelChoice = 'auto'): BatchedMatMul {
  const module = chosenModule(choice);
  if (!module) return batchedMatMulScalar;
  const { exported, reserve } = ownMemoryInstance(module);
  const scratchBytes = align(exported.MAT_MUL_SCRATCH.value * 4);
  return (a, b, out, product) => {
    const { m, k, n, transposeA, transposeB, aSlices, bSlices } = product;
    const count = aSlices.length;
    const [aSize, bSize, outSize] = [m * k, k * n, m * n];
    if (count === 0 || outSize === 0) return;
    const bCount = Math.floor(b.length / Math.max(1, bSize));
    const aAt = scratchBytes;
    const bAt = aAt + align(a.length * 4);
    const outAt = bAt + align(b.length * 4);
    const transposedAt = outAt + align(count * outSize * 4);
    const buffer = reserve(transposedAt + (transposeB ? align(b.length * 4) : 0));
    new Float32Array(buffer, aAt, a.length).set(a);
    new Float32Array(buffer, bAt, b.length).set(b);
    let rowMajorB = bAt; // B's slices as [k, n]
    if (transposeB) {
      for (let s = 0; s < bCount; s++)
        exported.transpose(bAt + s * bSize * 4, transposedAt + s * bSize * 4, n, k);
      rowMajorB = transposedAt;
    }
    const [rowStride, depthStride] = transposeA ? [1, m] : [k, 1];
    for (let i = 0; i < count; i++) {
      const aSlice = aAt + aSlices[i] * aSize * 4;
      const bSlice = rowMajorB + bSlices[i] * bSize * 4;
      exported.matMul(aSlice, bSlice, outAt + i * outSize * 4, m, k, n, rowStride, depthStride, 0);
    }
    out.set(new Float32Array(buffer, outAt, count * outSize));
  };
}

/** The kernels that work in place, by byte address, on a memory shared with another module. */
export interface HeapKernels {
  /** As scalar.ts's `softmaxCrossEntropy`, on rows at `logits`; per-row sum and largest − picked at `stats`. */
  softmaxCrossEntropy: CrossEntropyRows;
  /** [cols, rows] at `target` = the [rows, cols] at `source`, transposed. */
  transpose: Exports['transpose'];
}

/**
 * The SIMD kernels instantiated on `memory`, a WebAssembly.Memory that another module owns (tfjs-wasm's
 * heap), or null without SIMD. Safe because the kernels module has no data segment, no start function
 * and no stack in memory (a test checks): it reads and writes only the addresses it is given.
 */
export function heapKernels(memory: object): HeapKernels | null {
  const module = kernelsModule();
  if (!module || !wasm) return null;
  try {
    const exported = new wasm.Instance(module, { env: { memory } }).exports as unknown as Exports;
    return { softmaxCrossEntropy: exported.softmaxCrossEntropy, transpose: exported.transpose };
  } catch {
    return null; // e.g. a shared memory (tfjs's threaded build in browsers): the module imports a plain one
  }
}

/** True where this runtime runs the SIMD kernels. */
export function hasSimdKernels(): boolean {
  return kernelsModule() !== null;
}

/** The compiled kernels for `choice`, or null for the scalar ones (throws when "simd" cannot be had). */
function chosenModule(choice: KernelChoice): object | null {
  const module = choice === 'scalar' ? null : kernelsModule();
  if (!module || !wasm) {
    if (choice === 'simd')
      throw new TideError('CONFIG', 'kernels "simd": no WebAssembly SIMD in this runtime');
    return null;
  }
  return module;
}

/**
 * An instance of the kernels with a memory of its own; `reserve(bytes)` grows it to at least that size
 * and returns its buffer (growing detaches views taken before).
 */
function ownMemoryInstance(module: object): { exported: Exports; reserve: (bytes: number) => ArrayBuffer } {
  if (!wasm) throw new TideError('CONFIG', 'no WebAssembly in this runtime');
  const memory = new wasm.Memory({ initial: 1 });
  const exported = new wasm.Instance(module, { env: { memory } }).exports as unknown as Exports;
  const reserve = (bytes: number) => {
    const short = bytes - memory.buffer.byteLength;
    if (short > 0) memory.grow(Math.ceil(short / PAGE_BYTES));
    return memory.buffer;
  };
  return { exported, reserve };
}

function simdKernels(buffer: ArrayBuffer, exported: Exports): Kernels {
  const { matMulTransposed: product, causalSoftmax: softmax, vecMat } = exported;
  const inside = (array: Float32Array, floats: number) => array.buffer === buffer && array.length >= floats;
  const activation =
    (simd: Activation, scalar: typeof sigmoidScalar): typeof sigmoidScalar =>
    (x, start, end) => {
      if (inside(x, end)) simd(x.byteOffset, start, end);
      else scalar(x, start, end);
    };
  /** The SIMD product when every array is inside the memory, else false. */
  const multiply = (mode: number, ...[A, B, m, k, n, C, bias]: Parameters<Kernels['matMulTransposed']>) => {
    if (!(inside(A, m * k) && inside(B, n * k) && inside(C, m * n) && (!bias || inside(bias, n)))) {
      return false;
    }
    product(A.byteOffset, B.byteOffset, C.byteOffset, bias ? bias.byteOffset : 0, m, k, n, mode);
    return true;
  };
  return {
    name: 'simd',
    matMulTransposed(A, B, m, k, n, C, bias) {
      if (m > 0 && n > 0 && !multiply(FULL, A, B, m, k, n, C, bias)) {
        matMulTransposedScalar(A, B, m, k, n, C, bias);
      }
    },
    vecMat(x, W, n, out, bias) {
      const k = x.length;
      if (inside(x, k) && inside(W, k * n) && inside(out, n) && (!bias || inside(bias, n))) {
        vecMat(x.byteOffset, W.byteOffset, out.byteOffset, bias ? bias.byteOffset : 0, k, n);
      } else vecMatScalar(x, W, n, out, bias);
    },
    sigmoidInPlace: activation(exported.sigmoidInPlace, sigmoidScalar),
    tanhInPlace: activation(exported.tanhInPlace, tanhScalar),
    causalAttention(q, k, vT, rows, width, scale, scores, out) {
      if (rows === 0) return;
      if (!multiply(CAUSAL_COLUMNS, q, k, rows, width, rows, scores)) {
        causalAttentionScalar(q, k, vT, rows, width, scale, scores, out);
        return;
      }
      softmax(scores.byteOffset, rows, scale);
      if (!multiply(CAUSAL_INNER, scores, vT, rows, rows, width, out)) {
        matMulTransposedScalar(scores, vT, rows, rows, width, out);
      }
    },
  };
}

/** 16-byte steps, so every copy starts on a SIMD lane boundary. */
function align(bytes: number): number {
  return Math.ceil(bytes / 16) * 16;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (value === null || typeof value !== 'object') return false;
  const prototype = Object.getPrototypeOf(value);
  return prototype === Object.prototype || prototype === null;
}

function collect(value: unknown, arrays: Map<Float32Array, Float32Array | null>): void {
  if (value instanceof Float32Array) arrays.set(value, null);
  else if (Array.isArray(value)) for (const item of value) collect(item, arrays);
  else if (isPlainObject(value)) for (const item of Object.values(value)) collect(item, arrays);
}

function rebuild(value: unknown, arrays: Map<Float32Array, Float32Array | null>): unknown {
  if (value instanceof Float32Array) return arrays.get(value) ?? value;
  if (Array.isArray(value)) return value.map((item) => rebuild(item, arrays));
  if (isPlainObject(value)) {
    return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, rebuild(item, arrays)]));
  }
  return value;
}
