/**
 * The full softmax's inner loop on the tfjs-wasm heap itself, with no copies: the SIMD kernels,
 * instantiated on the backend's own memory, turn a chunk's logits tensor in place into d loss / d logits
 * and write its transpose into a new tensor. The copying route (readSync the logits, run the kernels in a
 * memory of their own, make two tensors of the results) moved ~6 times the chunk's bytes: on a SASRec
 * step ~1.7 GB.
 */
import * as tf from '@tensorflow/tfjs';
import { type HeapKernels, heapKernels } from '../wasm/kernels.js';
import {
  allocate,
  asWasmBackend,
  float32HeapView,
  heapAddress,
  heapMemory,
  type WasmBackend,
} from './wasm-heap.js';

/** The softmax cross-entropy of the chunks of one full softmax, and the bias gradient they add up to. */
export interface ChunkCrossEntropy {
  /**
   * logits [rows, columns] (consumed: it becomes the gradient, so it must be a fresh tensor nothing else
   * holds, such as a product's output) -> the sum over its rows of the loss, d loss / d logits = scale ·
   * (softmax − onehot) and its transpose [columns, rows]. Targets lie in 1 .. columns − 1.
   */
  chunk(logits: tf.Tensor2D, targets: Int32Array): { lossSum: number; grad: tf.Tensor2D; gradT: tf.Tensor2D };
  /** The column sums of every chunk's gradient so far: the bias gradient (the caller owns it). */
  biasGrad(): tf.Tensor1D;
}

let bound: { memory: object; kernels: HeapKernels } | null = null;

function kernelsOn(backend: WasmBackend): HeapKernels | null {
  const memory = heapMemory(backend);
  if (memory === null) return null;
  if (bound?.memory !== memory) {
    const kernels = heapKernels(memory);
    if (kernels === null) return null;
    bound = { memory, kernels };
  }
  return bound.kernels;
}

/** The kernel writes into the logits and reads at the targets: a wrong one would corrupt other tensors. */
function assertWritableChunk(
  backend: WasmBackend,
  logits: tf.Tensor2D,
  targets: Int32Array,
  columns: number,
) {
  const [rows, width] = logits.shape;
  if (logits.dtype !== 'float32' || rows !== targets.length || width !== columns) {
    throw new Error(
      `full softmax chunk: logits ${logits.dtype} [${logits.shape}] for ${targets.length} targets x ${columns} columns`,
    );
  }
  if (backend.refCount(logits.dataId) !== 1) throw new Error('full softmax chunk: the logits are shared');
  for (const target of targets) {
    if (!(target >= 1 && target < columns)) {
      throw new Error(`full softmax chunk: target ${target} outside 1 .. ${columns - 1}`);
    }
  }
}

/**
 * The chunk cross-entropy on the heap, with `bias` [columns] added to every row and the gradient scaled
 * by `scale`; null unless the active backend is wasm and the SIMD kernels run here.
 *
 * @example
 * const crossEntropy = heapCrossEntropy(bias, 1 / rows);
 * const { lossSum, grad, gradT } = crossEntropy.chunk(tf.matMul(hChunk, tableT), chunkTargets);
 */
export function heapCrossEntropy(bias: tf.Tensor1D, scale: number): ChunkCrossEntropy | null {
  if (tf.getBackend() !== 'wasm') return null;
  const backend = asWasmBackend(tf.backend());
  const kernels = kernelsOn(backend);
  if (kernels === null) return null;
  const columns = bias.shape[0];
  const columnSums = tf.zeros([columns]) as tf.Tensor1D;
  const at = (tensor: tf.TensorInfo) => heapAddress(backend, tensor);
  return {
    chunk(logits, targets) {
      const rows = targets.length;
      assertWritableChunk(backend, logits, targets, columns);
      const targetIds = tf.tensor1d(targets, 'int32');
      const stats = allocate(backend, [rows, 2]);
      const gradT = tf.engine().makeTensorFromTensorInfo(allocate(backend, [columns, rows])) as tf.Tensor2D;
      const [logitsAt, targetsAt, biasAt, sumsAt] = [logits, targetIds, bias, columnSums].map(at);
      kernels.softmaxCrossEntropy(logitsAt, targetsAt, biasAt, sumsAt, at(stats), rows, columns, scale);
      kernels.transpose(at(logits), at(gradT), rows, columns);
      const rowStats = float32HeapView(backend, stats);
      let lossSum = 0;
      for (let r = 0; r < rows; r++) lossSum += Math.log(rowStats[2 * r]) + rowStats[2 * r + 1];
      backend.disposeData(stats.dataId);
      targetIds.dispose();
      return { lossSum, grad: logits, gradT };
    },
    biasGrad: () => columnSums,
  };
}
