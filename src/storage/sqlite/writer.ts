/**
 * Where a SQLite store's writes run. A file store gives them to a writer thread that owns the write
 * connection (write-worker.ts): the event loop never waits for a commit's fsync, and appends that
 * arrive while one commits go into the next commit together. `:memory:` has one connection, so its
 * writes run in this thread.
 */
import type { Worker } from 'node:worker_threads';
import { TideError } from '../../core/errors.js';
import { moduleBeside, startModuleWorker } from '../../core/module-worker.js';
import { closedStoreError } from '../records.js';
import type { SqliteConnection } from './connection.js';
import {
  type ErrorMessage,
  fromErrorMessage,
  SqliteWrites,
  type WriteArgs,
  type WriteName,
  type WriteResult,
} from './writes.js';

export interface Writer {
  /** Runs one write; it resolved = committed (and on disk: synchronous=FULL). */
  call<K extends WriteName>(name: K, ...args: WriteArgs<K>): Promise<WriteResult<K>>;
  /** Finishes the writes already asked for, then closes; closing twice is harmless. */
  close(): Promise<void>;
}

/** Writes on the store's own connection, in this thread. */
export class InThreadWriter implements Writer {
  private readonly writes: SqliteWrites;

  constructor(private readonly connection: SqliteConnection) {
    this.writes = new SqliteWrites(connection.db, connection.path);
  }

  async call<K extends WriteName>(name: K, ...args: WriteArgs<K>): Promise<WriteResult<K>> {
    const write = this.writes[name] as (...a: WriteArgs<K>) => WriteResult<K>;
    return this.connection.use(() => write.apply(this.writes, args));
  }

  async close(): Promise<void> {}
}

/** A request to the writer thread, and its answers. */
export interface WriteRequest {
  id: number;
  name: WriteName | 'close';
  args: unknown[];
}
export type WriterMessage =
  | { ready: true }
  | { ready: false; error: ErrorMessage }
  | { id: number; ok: true; value: unknown }
  | { id: number; ok: false; error: ErrorMessage };

/** Marks the writer thread's workerData (test runners start workers of their own). */
export const WRITER_MARK = 'tideSqliteWriter';

interface Pending {
  resolve(value: unknown): void;
  reject(error: TideError): void;
}

/** Writes on the connection of a writer thread. */
export class WorkerWriter implements Writer {
  private readonly pending = new Map<number, Pending>();
  private nextId = 1;
  /** Requests of this tick, posted together (one message, one wake-up of the thread). */
  private outbox: WriteRequest[] = [];
  private closing: Promise<void> | null = null;
  /** Set when the thread died: every call afterwards rejects with it. */
  private failure: TideError | null = null;

  private constructor(
    private readonly worker: Worker,
    private readonly url: string,
  ) {
    worker.on('message', (message: WriterMessage) => {
      if (!('id' in message)) return;
      const waiting = this.pending.get(message.id);
      if (!waiting) return;
      this.pending.delete(message.id);
      if (this.pending.size === 0) worker.unref();
      if (message.ok) waiting.resolve(message.value);
      else waiting.reject(fromErrorMessage(message.error));
    });
    const fail = (why: string) => {
      this.failure = new TideError('STORAGE', `store ${url}: the writer thread ${why}`);
      for (const waiting of this.pending.values()) waiting.reject(this.failure);
      this.pending.clear();
    };
    worker.on('error', (error) => fail(`failed: ${error.message}`));
    worker.on('exit', (code) => {
      if (!this.closing) fail(`exited with ${code}`);
    });
  }

  /**
   * Starts the thread and waits until it has opened the file.
   *
   * @throws TideError('STORAGE') naming the file when the thread cannot open it.
   */
  static async start(path: string, url: string): Promise<WorkerWriter> {
    const worker = startModuleWorker(moduleBeside(import.meta.url, 'write-worker'), {
      workerData: { [WRITER_MARK]: true, path, url },
    });
    const listeners: { event: 'message' | 'error' | 'exit'; listener: (value: unknown) => void }[] = [];
    await new Promise<void>((resolve, reject) => {
      const listen = <T>(event: 'message' | 'error' | 'exit', listener: (value: T) => void) => {
        listeners.push({ event, listener: listener as (value: unknown) => void });
        worker.on(event, listener);
      };
      listen('message', (message: WriterMessage) => {
        if (!('ready' in message)) return;
        if (message.ready) resolve();
        else reject(fromErrorMessage(message.error));
      });
      listen('error', reject);
      listen('exit', (code: number) =>
        reject(new TideError('STORAGE', `store ${url}: the writer thread exited with ${code}`)),
      );
    }).catch(async (error: unknown) => {
      await worker.terminate();
      throw error;
    });
    // only these: removeAllListeners would also drop the Worker's own (its port would stop delivering)
    for (const { event, listener } of listeners) worker.off(event, listener);
    // idle, the thread does not keep the process alive; a write in flight does (see call)
    worker.unref();
    return new WorkerWriter(worker, url);
  }

  call<K extends WriteName>(name: K, ...args: WriteArgs<K>): Promise<WriteResult<K>> {
    return this.send(name, args) as Promise<WriteResult<K>>;
  }

  close(): Promise<void> {
    this.closing ??= (async () => {
      if (this.failure) return;
      await this.send('close', []).catch(() => undefined);
      await this.worker.terminate();
    })();
    return this.closing;
  }

  private send(name: WriteRequest['name'], args: unknown[]): Promise<unknown> {
    if (this.failure) return Promise.reject(this.failure);
    if (this.closing && name !== 'close') return Promise.reject(closedStoreError(this.url));
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      this.worker.ref();
      this.outbox.push({ id, name, args });
      if (this.outbox.length === 1) queueMicrotask(() => this.post());
    });
  }

  private post(): void {
    const requests = this.outbox;
    this.outbox = [];
    this.worker.postMessage(requests);
  }
}
