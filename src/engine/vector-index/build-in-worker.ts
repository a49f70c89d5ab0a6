/**
 * Builds an HNSW graph in a worker thread and saves it to a file, so that the event loop keeps serving
 * while a large index is built (a 1M-item graph takes minutes): the caller loads the file when the
 * worker is done. hnswlib's graph cannot cross threads; its file can.
 */
import { renameSync } from 'node:fs';
import { isMainThread, parentPort, workerData } from 'node:worker_threads';
import { TideError } from '../../core/errors.js';
import { startModuleWorker } from '../../core/module-worker.js';
import type { ProgressReporter } from '../../core/progress.js';
import { HnswIndex, type HnswOptions } from './hnsw.js';

interface BuildRequest {
  dim: number;
  /** Row i holds the vector of id i; row-major [count, dim]. */
  rows: Float32Array;
  options: Omit<HnswOptions, 'capacity'>;
  file: string;
  /** What is built, for the progress bar: 'item index'. */
  name: string;
}

type WorkerMessage = { added: number } | { saved: true } | { failed: string };

/** Tells this module, loaded in a worker, that it is the builder (test runners use workers too). */
const MARK = 'tideHnswBuild';

/** Items added between progress messages. */
const CHUNK = 10_000;

/**
 * Indexes rows 0..count-1 (id = row) into a new HNSW graph on a worker thread and writes it to `file`
 * (atomically: a crash never leaves half a file); `HnswIndex.load(file, dim)` reads it back. The rows'
 * buffer moves to the worker: `rows` must own its whole buffer, and is empty afterwards.
 *
 * @example
 * await buildHnswFile({ dim: 65, rows, options: { m: 16 }, file: 'items.hnsw', name: 'item index' }, progress);
 * const index = await HnswIndex.load('items.hnsw', 65);
 */
export function buildHnswFile(request: BuildRequest, progress: ProgressReporter): Promise<void> {
  const count = request.rows.length / request.dim;
  const workerData = { [MARK]: true, ...request };
  // moved, not copied (a 1M × 512 text block is 2 GB): the caller's `rows` is unusable afterwards
  const transferList = [request.rows.buffer as ArrayBuffer];
  const worker = startModuleWorker(new URL(import.meta.url), { workerData, transferList });
  progress.start(`build ${request.name}`, count);
  return new Promise((resolve, reject) => {
    let settled = false;
    worker.on('message', (message: WorkerMessage) => {
      if ('added' in message) progress.tick(message.added);
      else if ('saved' in message) {
        settled = true;
        progress.done();
        resolve();
      } else {
        settled = true;
        reject(new TideError('STORAGE', `building ${request.file}: ${message.failed}`));
      }
    });
    worker.on('error', (error) => {
      settled = true;
      reject(error);
    });
    worker.on('exit', (code) => {
      if (!settled)
        reject(new TideError('STORAGE', `building ${request.file}: the worker exited with ${code}`));
    });
  });
}

/** Writes beside the target and renames, so that a crash never leaves half a file to load. */
export function saveAtomically(index: HnswIndex, file: string): void {
  // unique, so that two processes sharing a directory never write into one partial file
  const partial = `${file}.${process.pid}-${Math.random().toString(36).slice(2)}.partial`;
  index.save(partial);
  renameSync(`${partial}.json`, `${file}.json`);
  renameSync(partial, file);
}

function work({ dim, rows, options, file }: BuildRequest): void {
  const count = rows.length / dim;
  const index = new HnswIndex(dim, { ...options, capacity: Math.max(count, 1) });
  for (let start = 0; start < count; start += CHUNK) {
    const end = Math.min(count, start + CHUNK);
    const ids = Int32Array.from({ length: end - start }, (_, i) => start + i);
    index.add(ids, rows.subarray(start * dim, end * dim));
    parentPort!.postMessage({ added: end - start } satisfies WorkerMessage);
  }
  saveAtomically(index, file);
  parentPort!.postMessage({ saved: true } satisfies WorkerMessage);
}

if (!isMainThread && parentPort && (workerData as Record<string, unknown> | null)?.[MARK] === true) {
  try {
    work(workerData as BuildRequest);
  } catch (error) {
    parentPort.postMessage({
      failed: error instanceof Error ? error.message : String(error),
    } satisfies WorkerMessage);
  }
}
