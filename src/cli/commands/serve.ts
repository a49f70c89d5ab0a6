import { TideError } from '../../core/errors.js';
import { DEFAULT_TIME_WINDOW, type TimeWindow } from '../../core/event-checks.js';
import type { Item } from '../../core/types.js';
import { Engine } from '../../engine/engine.js';
import { openServingModel, type ServingModel } from '../../engine/serving-model.js';
import { parseApiKeys } from '../../server/auth.js';
import { EventBus } from '../../server/event-bus.js';
import { startServer } from '../../server/server.js';
import { openStore } from '../../storage/open.js';
import type { Store } from '../../storage/ports.js';
import { acquireWriterLock } from '../../storage/sqlite/writer-lock.js';
import { EmbeddingCache } from '../../text/cache.js';
import { withCache } from '../../text/cached-encoder.js';
import { createTextEncoder } from '../../text/encoder.js';
import { itemText } from '../../text/item-text.js';
import { Flags } from '../flags.js';
import { importData } from '../import-data.js';
import { TerminalProgress } from '../progress-bar.js';

export const SERVE_HELP = `tide serve --model-dir <dir> [--data <dir>] [options]

Serves recommendations over HTTP: events in (POST /events), recommendations out
(GET /users/:id/recommendations), with the API described at GET /openapi.json. At start the data
set's catalogue is written to the store, and its events too when the store's log is empty (the first
start). Ctrl-C (or SIGTERM) finishes in-flight requests and
flushes user states before exiting.

  --model-dir <dir>      a saved model (tide train --out), registered in the store and served,
                         unless the store's active model is newer (one tide worker promoted);
                         a model promoted while serving is swapped in within 5 s
  --data <dir|file>      data set to import (as for tide train); optional once the store holds it
  --source sequences|ratings   ml-1m: which events file to import
  --store <url>          sqlite://./tide.db (default), sqlite:///abs/path.db, memory://, or
                         postgres://user:password@host:5432/db?schema=tide
                         (one server per SQLite file: a second one refuses to start; several may
                         share one Postgres: each follows the others' events and the active model)
  --port N               default 8080 (0: any free port, printed)
  --host ADDR            default 127.0.0.1 (this machine only)
  --encoder use-lite|none   text encoder for POST /recommendations/query (default none: that
                         route answers 501); use-lite embeds the catalogue at start
  --cache <file>         embedding cache for --encoder use-lite (default ./tide-embeddings.db)
  --index-dir <dir>      where the item index of a large catalogue is saved and loaded from
                         (default ./tide-index; building one for 1M items takes many minutes)
  --approximate-from N   catalogues of at least N items are served through HNSW candidates
                         (default 50000; smaller ones are scored whole, exactly)
  --ef-search N          HNSW candidate list per query: the recall/latency dial (default 1024:
                         recall@10 0.96 on 1M items in BENCHMARKS.md, ~2 ms per search)
  --api-keys <spec>      "key1:read,write;key2:admin" (default: TIDE_API_KEYS; none: open, with a warning)
  --max-body-bytes N     default 1048576;  --max-batch N  default 1000
  --max-queued-events N  events waiting to be logged at most; a write beyond gets 503 with
                         Retry-After at once (default 500; a batch alone is always admitted)
  --max-cached-users N   user states kept in memory (least recently used evicted); default 100000
  --earliest-time <ISO>  events before it get a 400 (default 1973-03-03: a smaller number of
                         milliseconds is taken for seconds sent by mistake, and said so)
  --clock-skew-hours N   events timed more than N hours past this server's clock get a 400 (default 24)
  --unknown-items create|reject   an event about an item the catalogue lacks: create a bare item
                         for it (default; its data can follow with PUT /items/:id) or refuse it`;

export async function serveCommand(args: string[]): Promise<void> {
  const flags = Flags.parse(args, {
    'model-dir': { type: 'string' },
    data: { type: 'string' },
    source: { type: 'string' },
    store: { type: 'string' },
    port: { type: 'string' },
    host: { type: 'string' },
    encoder: { type: 'string' },
    cache: { type: 'string' },
    'api-keys': { type: 'string' },
    'index-dir': { type: 'string' },
    'approximate-from': { type: 'string' },
    'ef-search': { type: 'string' },
    'max-body-bytes': { type: 'string' },
    'max-batch': { type: 'string' },
    'max-queued-events': { type: 'string' },
    'max-cached-users': { type: 'string' },
    'earliest-time': { type: 'string' },
    'clock-skew-hours': { type: 'string' },
    'unknown-items': { type: 'string' },
  });
  const modelDir = flags.string('model-dir');
  if (!modelDir) throw new TideError('CONFIG', '--model-dir <dir> is required: the saved model to serve');
  const encoderName = flags.string('encoder') ?? 'none';
  if (encoderName !== 'none' && encoderName !== 'use-lite') {
    throw new TideError('CONFIG', `--encoder must be use-lite or none, got "${encoderName}"`);
  }
  const port = flags.integer('port', 8080);
  if (port < 0 || port > 65_535) throw new TideError('CONFIG', `--port must be in [0, 65535], got ${port}`);
  const keys = parseApiKeys(flags.string('api-keys') ?? process.env.TIDE_API_KEYS ?? '');
  const limits = {
    ...(flags.string('max-body-bytes') !== undefined && { maxBodyBytes: positive(flags, 'max-body-bytes') }),
    ...(flags.string('max-batch') !== undefined && { maxBatch: positive(flags, 'max-batch') }),
    ...(flags.string('max-queued-events') !== undefined && {
      maxQueuedEvents: positive(flags, 'max-queued-events'),
    }),
    timeWindow: timeWindow(flags),
  };

  const given = await openServingModel(modelDir);
  const storeUrl = flags.string('store') ?? 'sqlite://./tide.db';
  const release = writerLock(storeUrl);
  const store = await openStore(storeUrl).catch((error: unknown) => {
    release();
    throw error;
  });
  try {
    const data = flags.string('data');
    if (data) await importData(store, data, flags.string('source'), new TerminalProgress());
    const model = await startingModel(store, given);
    const cache =
      encoderName === 'use-lite'
        ? EmbeddingCache.open(flags.string('cache') ?? './tide-embeddings.db')
        : null;
    const encoder = cache && withCache(await createTextEncoder({ provider: 'use-lite' }), cache);
    // on Postgres other servers may share the log: follow it
    const shared = /^postgres(ql)?:\/\//.test(storeUrl);
    const bus = new EventBus();
    const engine = await Engine.open({
      store,
      model,
      followLogMs: shared ? FOLLOW_LOG_MS : 0,
      onFollowed: (events) => bus.publishLogged(events),
      unknownItems: unknownItemsPolicy(flags.string('unknown-items')),
      ...(flags.string('max-cached-users') !== undefined && {
        maxCachedUsers: positive(flags, 'max-cached-users'),
      }),
      text: encoder && { encoder, itemText: (item: Item) => itemText(item) },
      retrieval: {
        cacheDir: flags.string('index-dir') ?? './tide-index',
        ...(flags.string('approximate-from') !== undefined && {
          approximateFrom: positive(flags, 'approximate-from'),
        }),
        ...(flags.string('ef-search') !== undefined && { hnsw: { efSearch: positive(flags, 'ef-search') } }),
        progress: new TerminalProgress(),
      },
    });
    const server = await startServer({
      engine,
      store,
      bus,
      port,
      host: flags.string('host') ?? '127.0.0.1',
      auth: keys,
      limits,
    });
    const retrieval = engine.retrievalSummary;
    if (retrieval) process.stdout.write(`tide serve: candidates from ${retrieval}\n`);
    process.stdout.write(`tide serve: model ${model.id} on ${store.url}, listening on ${server.url}\n`);
    // a worker (or another server) may promote a model in the registry: follow it on any lasting store
    const stopFollowing = storeUrl.startsWith('memory:') ? () => {} : followActiveModel(store, engine);
    await server.closed;
    stopFollowing();
    release();
    cache?.close();
    process.stdout.write('tide serve: stopped\n');
  } catch (error) {
    await store.close().catch(() => undefined);
    release();
    throw error;
  }
}

/**
 * The model to serve at start: the one in --model-dir, registered and made active, unless the store's
 * registry holds a newer active one (promoted by `tide worker` since that directory was trained). A
 * restart with the directory of its first start then does not roll back a promotion.
 */
async function startingModel(store: Store, given: ServingModel): Promise<ServingModel> {
  const createdAt = Date.parse(given.manifest.createdAt) || Date.now();
  await store.models.register({
    id: given.id,
    dir: given.dir,
    family: given.family,
    createdAt,
    metrics: { ...given.metrics },
  });
  const active = await store.models.active();
  if (active && active.id !== given.id && active.createdAt > createdAt) {
    try {
      const newer = await openServingModel(active.dir);
      process.stdout.write(
        `tide serve: serving ${active.id}, the store's active model, newer than ${given.id} in --model-dir\n`,
      );
      return newer;
    } catch (error) {
      // served here only: activating it would roll the other servers back too
      process.stderr.write(
        `tide serve: cannot load the store's active model ${active.id} (${(error as Error).message}); serving ${given.id} without making it active\n`,
      );
      return given;
    }
  }
  await store.models.activate(given.id);
  return given;
}

/** How often a server on a shared store folds the others' events, and checks the active model. */
const FOLLOW_LOG_MS = 1000;
const FOLLOW_MODEL_MS = 5000;

/**
 * Serves whichever model the shared registry marks active: another server started with a newer
 * model, or a training worker promoted one. A model that fails to load is reported once.
 */
function followActiveModel(store: Store, engine: Engine): () => void {
  let busy = false;
  // a model that failed to load, and when to try it again
  let failed: { id: string; retryAt: number; delayMs: number } | null = null;
  const timer = setInterval(async () => {
    if (busy) return;
    busy = true;
    let tried: string | null = null;
    try {
      const active = await store.models.active();
      if (!active || active.id === engine.model?.id) return;
      if (failed?.id === active.id && Date.now() < failed.retryAt) return;
      tried = active.id;
      await engine.swapModel(await openServingModel(active.dir));
      failed = null;
      process.stdout.write(`tide serve: now serving ${active.id}, the store's active model\n`);
    } catch (error) {
      if (tried === null) return; // the registry could not be read: the next tick asks again
      const delayMs = failed?.id === tried ? Math.min(failed.delayMs * 2, MAX_RETRY_MS) : FOLLOW_MODEL_MS;
      if (failed?.id !== tried)
        process.stderr.write(
          `tide serve: cannot serve the active model ${tried}: ${(error as Error).message}\n`,
        );
      failed = { id: tried, retryAt: Date.now() + delayMs, delayMs };
    } finally {
      busy = false;
    }
  }, FOLLOW_MODEL_MS);
  timer.unref();
  return () => clearInterval(timer);
}

/** The longest wait before loading again a model that failed to load (doubling from 5 s). */
const MAX_RETRY_MS = 10 * 60_000;

/** One server per SQLite file (see writer-lock.ts); other stores need none here. */
function writerLock(storeUrl: string): () => void {
  const path = storeUrl.startsWith('sqlite://') ? storeUrl.slice('sqlite://'.length) : '';
  return path === '' || path === ':memory:' ? () => {} : acquireWriterLock(path);
}

function unknownItemsPolicy(value: string | undefined): 'create' | 'reject' {
  if (value === undefined || value === 'create' || value === 'reject') return value ?? 'create';
  throw new TideError('CONFIG', `--unknown-items must be create or reject, got "${value}"`);
}

/** The accepted event times, from --earliest-time and --clock-skew-hours. */
function timeWindow(flags: Flags): TimeWindow {
  const earliest = flags.string('earliest-time');
  const earliestMs = earliest === undefined ? DEFAULT_TIME_WINDOW.earliestMs : Date.parse(earliest);
  if (Number.isNaN(earliestMs))
    throw new TideError('CONFIG', `--earliest-time must be an ISO 8601 date, got "${earliest}"`);
  const skew = flags.string('clock-skew-hours');
  return {
    earliestMs,
    futureMs:
      skew === undefined ? DEFAULT_TIME_WINDOW.futureMs : positive(flags, 'clock-skew-hours') * 3_600_000,
  };
}

function positive(flags: Flags, name: string): number {
  const value = flags.integer(name);
  if (value < 1) throw new TideError('CONFIG', `--${name} must be a positive integer, got ${value}`);
  return value;
}
