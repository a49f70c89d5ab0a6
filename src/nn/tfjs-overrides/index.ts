/** Kernel fixes for @tensorflow/tfjs-backend-wasm 4.22, installed together by `initBackend()`. */
import { registerBatchMatMulFix } from './batch-matmul.js';
import { registerUnsortedSegmentSum } from './unsorted-segment-sum.js';

export {
  type BatchMatMulRoute,
  batchMatMulRoute,
  broadcastBatchIndices,
  isBatchMatMulFixed,
  registerBatchMatMulFix,
  unregisterBatchMatMulFix,
} from './batch-matmul.js';
export { type ChunkCrossEntropy, heapCrossEntropy } from './heap-cross-entropy.js';
export { registerUnsortedSegmentSum, scatterAddRows } from './unsorted-segment-sum.js';

/** Registers every wasm kernel fix; safe to call any number of times. */
export function registerWasmKernelFixes(): void {
  registerUnsortedSegmentSum();
  registerBatchMatMulFix();
}
