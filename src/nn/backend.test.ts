import { existsSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { backendInfo, initBackend, runOnBackend, useBackend, wasmBinaryDirectory } from './backend.js';
import { isBatchMatMulFixed } from './tfjs-overrides/index.js';

// Installed before the first initBackend() of this file's process: loading the wasm must never fetch.
const fetchSpy = vi.spyOn(globalThis, 'fetch');
afterAll(() => fetchSpy.mockRestore());

describe('initBackend', () => {
  it('starts tfjs on wasm from the installed binaries, with SIMD and one thread, without fetching', async () => {
    const tf = await initBackend();
    expect(tf.getBackend()).toBe('wasm');
    expect(await backendInfo()).toEqual({ active: 'wasm', simd: true, threads: 1 });
    expect(fetchSpy).not.toHaveBeenCalled();
  });

  it('is idempotent and registers the kernel fixes once', async () => {
    const [first, second] = await Promise.all([initBackend(), initBackend()]);
    expect(second).toBe(first);
    expect(first.getKernel('UnsortedSegmentSum', 'wasm')).toBeDefined();
    expect(isBatchMatMulFixed()).toBe(true);
    expect(first.getKernelsForBackend('wasm').filter((k) => k.kernelName === 'BatchMatMul')).toHaveLength(1);
  });

  it('makes wasm active again after the cpu reference backend was used', async () => {
    const tf = await useBackend('cpu');
    expect(tf.getBackend()).toBe('cpu');
    await initBackend();
    expect(tf.getBackend()).toBe('wasm');
  });

  it('runs a computation on the cpu backend and restores the previous one', async () => {
    const tf = await initBackend();
    const onCpu = await runOnBackend('cpu', (t) => [t.getBackend(), t.square(3).dataSync()[0]] as const);
    expect(onCpu).toEqual(['cpu', 9]);
    expect(tf.getBackend()).toBe('wasm');
  });
});

describe('wasmBinaryDirectory', () => {
  it('points at the .wasm files inside node_modules', () => {
    const directory = wasmBinaryDirectory();
    expect(directory.endsWith(path.sep)).toBe(true);
    expect(directory).toContain(path.join('node_modules', '@tensorflow', 'tfjs-backend-wasm', 'dist'));
    expect(existsSync(`${directory}tfjs-backend-wasm-simd.wasm`)).toBe(true);
  });
});
