/**
 * The tensor backend Tide trains on: @tensorflow/tfjs with the wasm backend, offline, plus the kernel
 * fixes in `./kernels`. Import tfjs through `initBackend()` so the fixes are always in place.
 */
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { getThreadsCount, setWasmPaths } from '@tensorflow/tfjs-backend-wasm';
import { TideError } from '../core/errors.js';
import { registerWasmKernelFixes } from './tfjs-overrides/index.js';

/** 'wasm' trains; 'cpu' (pure JS, ~1 GFLOP/s) exists only as a numerical reference in tests. */
export type BackendName = 'wasm' | 'cpu';

/** What `initBackend()` set up, for logs and reports. */
export interface BackendInfo {
  active: string;
  simd: boolean;
  threads: number;
}

const SIMD_BINARY = 'tfjs-backend-wasm-simd.wasm';

/**
 * The folder of the installed package's `.wasm` binaries, with a trailing separator. Emscripten under
 * Node reads a plain path with `fs.readFileSync`, so nothing is ever fetched.
 *
 * @example
 * wasmBinaryDirectory(); // '/app/node_modules/@tensorflow/tfjs-backend-wasm/dist/'
 */
export function wasmBinaryDirectory(): string {
  const require = createRequire(import.meta.url);
  // Resolves to .../tfjs-backend-wasm/dist/tf-backend-wasm.node.js; the binaries sit beside it.
  const directory = path.dirname(require.resolve('@tensorflow/tfjs-backend-wasm')) + path.sep;
  if (!existsSync(directory + SIMD_BINARY)) {
    throw new TideError(
      'CONFIG',
      `${directory}${SIMD_BINARY}: wasm binary of @tensorflow/tfjs-backend-wasm missing`,
    );
  }
  return directory;
}

async function setUpWasm(): Promise<void> {
  registerWasmKernelFixes();
  // The wasm backend cannot start worker threads under Node (ERR_WORKER_PATH on a blob: URL); one
  // thread per process. SIMD stays on: the flag's own feature test passes on Node 20.
  tf.env().set('WASM_HAS_MULTITHREAD_SUPPORT', false);
  const directory = wasmBinaryDirectory();
  setWasmPaths(directory);
  if (!(await tf.setBackend('wasm'))) {
    throw new TideError('CONFIG', `${directory}${SIMD_BINARY}: the tfjs wasm backend failed to initialise`);
  }
}

let wasmReady: Promise<void> | null = null;

/**
 * Sets up tfjs on the wasm backend (offline, kernel fixes registered, SIMD on, one thread) and makes
 * it the active backend. Idempotent: later calls only make 'wasm' active again.
 *
 * @example
 * const tf = await initBackend();
 * const scores = tf.matMul(userVectors, itemVectors, false, true);
 */
export async function initBackend(): Promise<typeof tf> {
  wasmReady ??= setUpWasm().catch((error: unknown) => {
    wasmReady = null;
    throw error;
  });
  await wasmReady;
  if (tf.getBackend() !== 'wasm') await tf.setBackend('wasm');
  return tf;
}

/**
 * Makes `name` the active backend. 'cpu' is for reference computations in tests only.
 *
 * @example
 * const tf = await useBackend('cpu');
 */
export async function useBackend(name: BackendName): Promise<typeof tf> {
  if (name === 'wasm') return initBackend();
  await initBackend(); // the kernel fixes are registered even when the wasm backend is not used
  if (!(await tf.setBackend(name)))
    throw new TideError('CONFIG', `tfjs backend '${name}' failed to initialise`);
  return tf;
}

/**
 * Runs `compute` on `name`, then restores the backend that was active before. Return plain data
 * (typed arrays, numbers): tensors made on one backend are copied over when used on the other.
 *
 * @example
 * const reference = await runOnBackend('cpu', (tf) => tf.matMul(a, b).dataSync());
 */
export async function runOnBackend<T>(name: BackendName, compute: (tfjs: typeof tf) => T): Promise<T> {
  await initBackend();
  const previous = tf.getBackend();
  await useBackend(name);
  try {
    return compute(tf);
  } finally {
    await tf.setBackend(previous);
  }
}

/**
 * The active backend, and SIMD / thread settings of the wasm one (threads is 0 before it starts).
 *
 * @example
 * await backendInfo(); // { active: 'wasm', simd: true, threads: 1 }
 */
export async function backendInfo(): Promise<BackendInfo> {
  const simd = (await tf.env().getAsync('WASM_HAS_SIMD_SUPPORT')) === true;
  return { active: tf.getBackend(), simd, threads: getThreadsCount() };
}
