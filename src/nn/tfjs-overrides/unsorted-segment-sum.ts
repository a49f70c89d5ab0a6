/**
 * `UnsortedSegmentSum` for the wasm backend, which tfjs 4.22 lacks (tfjs issue #8082).
 *
 * It is the gradient of `tf.gather`, so without it every embedding lookup fails in backprop with
 * `Kernel 'UnsortedSegmentSum' not registered for backend 'wasm'`.
 */
import * as tf from '@tensorflow/tfjs';
import { asWasmBackend, type KernelArgs, kernelInput } from './wasm-heap.js';

const KERNEL_NAME = 'UnsortedSegmentSum';

/**
 * Scatter-add of rows into segments: `out[segmentIds[i], ...] += x[i, ...]`.
 *
 * `segmentIds` covers the leading `segmentIds.rank` dimensions of `x`; the remaining dimensions form one
 * row. Ids outside `[0, numSegments)` are skipped, as the cpu backend does.
 */
export function scatterAddRows(
  rowsRowMajor: Float32Array | Int32Array,
  segmentIds: Int32Array,
  rowSize: number,
  segmentsRowMajor: Float32Array | Int32Array,
  numSegments: number,
): void {
  segmentsRowMajor.fill(0);
  for (let row = 0; row < segmentIds.length; row++) {
    const segment = segmentIds[row];
    if (segment < 0 || segment >= numSegments) continue;
    const from = row * rowSize;
    const to = segment * rowSize;
    for (let k = 0; k < rowSize; k++) segmentsRowMajor[to + k] += rowsRowMajor[from + k];
  }
}

function unsortedSegmentSum(args: KernelArgs): tf.TensorInfo {
  const backend = asWasmBackend(args.backend);
  const x = kernelInput(args, 'x');
  const segmentIdsInfo = kernelInput(args, 'segmentIds');
  const { numSegments } = args.attrs as unknown as tf.UnsortedSegmentSumAttrs;
  if (x.dtype !== 'float32' && x.dtype !== 'int32') {
    throw new Error(`UnsortedSegmentSum on wasm supports float32 and int32, got ${x.dtype}`);
  }
  // readSync copies out of the heap, so these stay valid when makeOutput grows the memory.
  const rows = backend.readSync(x.dataId) as Float32Array | Int32Array;
  const segmentIds = Int32Array.from(backend.readSync(segmentIdsInfo.dataId) as ArrayLike<number>);
  const rowShape = x.shape.slice(segmentIdsInfo.shape.length);
  const rowSize = tf.util.sizeFromShape(rowShape);

  const out = backend.makeOutput([numSegments, ...rowShape], x.dtype);
  const outView = backend.typedArrayFromHeap(out) as Float32Array | Int32Array;
  scatterAddRows(rows, segmentIds, rowSize, outView, numSegments);
  return out;
}

/** The kernel config; `registerUnsortedSegmentSum` installs it. */
export const unsortedSegmentSumConfig: tf.KernelConfig = {
  kernelName: KERNEL_NAME,
  backendName: 'wasm',
  kernelFunc: unsortedSegmentSum,
};

/** Registers the kernel for 'wasm' unless one is already there (ours or a future tfjs's own). */
export function registerUnsortedSegmentSum(): void {
  if (tf.getKernel(KERNEL_NAME, 'wasm') !== undefined) return;
  tf.registerKernel(unsortedSegmentSumConfig);
}
