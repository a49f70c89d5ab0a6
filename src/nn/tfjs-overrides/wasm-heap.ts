/**
 * The narrow slice of tfjs-backend-wasm internals our kernels touch, in one place.
 *
 * Kernel functions receive the backend as `{}` (tfjs's `KernelFunc` type); every cast to `BackendWasm`
 * happens here. Heap views are re-created on each call on purpose: any allocation on the wasm heap may
 * grow the memory, which detaches every `Float32Array` view taken before it.
 */
import type { DataType, KernelFunc, TensorInfo } from '@tensorflow/tfjs';
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';

export type WasmBackend = BackendWasm;
export type KernelArgs = Parameters<KernelFunc>[0];

/** The backend handed to a kernel registered for 'wasm' is a `BackendWasm`; tfjs only types it `{}`. */
export function asWasmBackend(backend: KernelArgs['backend']): WasmBackend {
  return backend as WasmBackend;
}

/** The input tensors of a kernel call, by name; throws when one the kernel needs is missing. */
export function kernelInput(args: KernelArgs, name: string): TensorInfo {
  const info = args.inputs[name];
  if (info === undefined) throw new Error(`kernel input '${name}' is missing`);
  return info;
}

/** A live float32 view of a tensor's heap memory; valid until the next allocation on the heap. */
export function float32HeapView(backend: WasmBackend, info: TensorInfo): Float32Array {
  return backend.typedArrayFromHeap(info) as Float32Array;
}

/** Allocates a tensor on the wasm heap (fresh id, uninitialised memory). */
export function allocate(backend: WasmBackend, shape: number[], dtype: DataType = 'float32'): TensorInfo {
  return backend.makeOutput(shape, dtype);
}

/** Copies `length` floats from `source` at `sourceOffset` into a newly allocated tensor of `shape`. */
export function copyToFreshTensor(
  backend: WasmBackend,
  source: TensorInfo,
  sourceOffset: number,
  shape: number[],
): TensorInfo {
  const fresh = allocate(backend, shape);
  const length = fresh.shape.reduce((product, dim) => product * dim, 1);
  const sourceView = float32HeapView(backend, source);
  float32HeapView(backend, fresh).set(sourceView.subarray(sourceOffset, sourceOffset + length));
  return fresh;
}

/** Releases a temporary created inside a kernel (drops one reference; frees at zero). */
export function release(backend: WasmBackend, info: TensorInfo): void {
  backend.disposeData(info.dataId);
}

/** The backend's WebAssembly.Memory (the Emscripten module exports it as `asm.memory`), if reachable. */
export function heapMemory(backend: WasmBackend): object | null {
  const exports = (backend.wasm as unknown as { asm?: { memory?: unknown } }).asm;
  const memory = exports?.memory;
  return typeof memory === 'object' && memory !== null && 'buffer' in memory ? memory : null;
}

/** A tensor's byte address on the wasm heap (stable: growing the memory never moves data). */
export function heapAddress(backend: WasmBackend, info: TensorInfo): number {
  return backend.typedArrayFromHeap(info).byteOffset;
}
