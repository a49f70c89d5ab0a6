/**
 * Listens with @hono/node-server and shuts down gracefully: stop accepting, let in-flight requests
 * finish (idle keep-alive sockets are closed at once, busy ones after `shutdownTimeoutMs`), then
 * close the engine (which flushes dirty states) and the store.
 */
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { serve } from '@hono/node-server';
import type { Store } from '../storage/ports.js';
import { type AppOptions, createApp, type TideApp } from './app.js';

export interface ServerOptions extends Omit<AppOptions, 'storeUrl'> {
  /** Closed on shutdown, after the engine. */
  store: Store;
  /** 0 picks a free port (see `port` on the result). Default 8080. */
  port?: number;
  /** Default 127.0.0.1: reachable from this machine only until asked otherwise. */
  host?: string;
  /** Shut down on SIGINT and SIGTERM (default true). */
  handleSignals?: boolean;
  /** How long in-flight requests get before their sockets are closed (default 10 s). */
  shutdownTimeoutMs?: number;
}

export interface RunningServer {
  app: TideApp;
  url: string;
  port: number;
  /** Shuts down as described above; calling it again returns the same promise. */
  close(): Promise<void>;
  /** Resolves once the server has shut down (by `close` or a signal). */
  closed: Promise<void>;
}

/**
 * Starts the HTTP server.
 *
 * @example
 * const server = await startServer({ engine, store, port: 8080 });
 * console.log(`listening on ${server.url}`);
 * await server.closed; // until SIGINT / SIGTERM
 */
export async function startServer(options: ServerOptions): Promise<RunningServer> {
  const {
    store,
    engine,
    port = 8080,
    host = '127.0.0.1',
    handleSignals = true,
    shutdownTimeoutMs = 10_000,
  } = options;
  const log = options.log ?? ((line: string) => process.stderr.write(line));
  const app = createApp({ ...options, storeUrl: store.url, store });
  if (app.keys.open) {
    log(
      'tide serve: WARNING no API keys configured (TIDE_API_KEYS): every route is open to anyone who can connect\n',
    );
  }
  const server = await new Promise<Server>((resolve, reject) => {
    const s = serve({ fetch: app.fetch, port, hostname: host }, () => resolve(s as Server)) as Server;
    s.once('error', reject);
  });
  const address = server.address() as AddressInfo;
  const shown = address.family === 'IPv6' ? `[${address.address}]` : address.address;

  let closing: Promise<void> | undefined;
  let settle!: { resolve: () => void; reject: (error: unknown) => void };
  const closed = new Promise<void>((resolve, reject) => {
    settle = { resolve, reject };
  });
  closed.catch(() => undefined); // a caller that never awaits it must not see an unhandled rejection
  const onSignal = (signal: NodeJS.Signals) => {
    log(`tide serve: ${signal}: finishing in-flight requests, then flushing states\n`);
    close().catch(() => undefined); // reported through `closed`
  };
  const close = (): Promise<void> => {
    closing ??= (async () => {
      if (handleSignals) for (const s of ['SIGINT', 'SIGTERM'] as const) process.off(s, onSignal);
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeIdleConnections();
        setTimeout(() => server.closeAllConnections(), shutdownTimeoutMs).unref();
      });
      try {
        await engine.close();
      } finally {
        await store.close();
      }
    })();
    closing.then(settle.resolve, settle.reject);
    return closing;
  };
  if (handleSignals) for (const s of ['SIGINT', 'SIGTERM'] as const) process.on(s, onSignal);
  return { app, url: `http://${shown}:${address.port}`, port: address.port, close, closed };
}
