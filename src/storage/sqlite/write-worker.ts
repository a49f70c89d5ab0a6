/**
 * The writer thread of a SQLite file store: it owns the write connection and runs the writes in
 * the order they were asked for. Appends that are waiting together are committed together (one
 * transaction, one fsync: group commit), each still all or none.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { TideError } from '../../core/errors.js';
import { SqliteConnection } from './connection.js';
import type { WriteRequest, WriterMessage } from './writer.js';
import { WRITER_MARK } from './writer.js';
import { type AppendRequest, SqliteWrites, storageError, toErrorMessage, type WriteName } from './writes.js';

interface WriterData {
  path: string;
  url: string;
}

function serve(port: NonNullable<typeof parentPort>, { path, url }: WriterData): void {
  const post = (message: WriterMessage) => port.postMessage(message);
  let connection: SqliteConnection;
  try {
    connection = SqliteConnection.open(path, url);
  } catch (error) {
    post({ ready: false, error: toErrorMessage(storageError(path, error)) });
    return;
  }
  const writes = new SqliteWrites(connection.db, path);
  const queue: WriteRequest[] = [];
  let scheduled = false;

  const fail = (id: number, error: unknown) =>
    post({
      id,
      ok: false,
      error: toErrorMessage(error instanceof TideError ? error : storageError(path, error)),
    });

  const runOne = (request: WriteRequest) => {
    try {
      const write = writes[request.name as WriteName] as (...args: unknown[]) => unknown;
      post({ id: request.id, ok: true, value: write.apply(writes, request.args) ?? null });
    } catch (error) {
      fail(request.id, error);
    }
  };

  const runAppends = (requests: readonly WriteRequest[]) => {
    try {
      const outcomes = writes.appendGroup(
        requests.map(({ args }) => ({ events: args[0], key: args[1] }) as AppendRequest),
      );
      outcomes.forEach((outcome, n) => void post({ id: requests[n].id, ...outcome }));
    } catch (error) {
      // the commit itself failed (disk full...): none of the group was kept
      for (const request of requests) fail(request.id, error);
    }
  };

  const drain = () => {
    scheduled = false;
    const batch = queue.splice(0);
    for (let at = 0; at < batch.length; ) {
      const request = batch[at];
      if (request.name === 'close') {
        connection.close();
        post({ id: request.id, ok: true, value: null });
        port.close();
        return;
      }
      if (request.name !== 'append') {
        runOne(request);
        at++;
        continue;
      }
      let end = at + 1;
      while (end < batch.length && batch[end].name === 'append') end++;
      runAppends(batch.slice(at, end));
      at = end;
    }
  };

  port.on('message', (requests: WriteRequest[]) => {
    queue.push(...requests);
    if (!scheduled) {
      scheduled = true;
      // after the messages already waiting have been queued: they join this commit
      setImmediate(drain);
    }
  });
  post({ ready: true });
}

const data = workerData as (WriterData & Record<string, unknown>) | null;
if (parentPort && data?.[WRITER_MARK] === true) serve(parentPort, data);
