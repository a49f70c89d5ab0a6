import { readFileSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import type * as Hnswlib from 'hnswlib-node';
import { TideError } from '../../core/errors.js';
import { HNSW_DEFAULTS } from './config.js';
import {
  checkAdd,
  checkQuery,
  type IdFilter,
  noHits,
  type SearchHits,
  type VectorIndex,
} from './vector-index.js';

export interface HnswOptions {
  /** Graph links per node; more = better recall, more memory. */
  m?: number;
  /** Candidate list while linking a new node; more = better graph, slower build. */
  efConstruction?: number;
  /** Candidate list per query (raised to k when smaller): the recall/latency dial. */
  efSearch?: number;
  /** Items to allocate for up front; the index grows by a quarter when it fills. */
  capacity?: number;
  /** Seed of the level draws, for reproducible graphs. */
  seed?: number;
}

/** What `save` writes beside hnswlib's graph file: the bookkeeping hnswlib does not keep. */
interface SavedBookkeeping {
  format: 1;
  dim: number;
  removed: number[];
  /** Size of the graph file: hnswlib reads a damaged file without checks, and can crash the process. */
  bytes?: number;
}

const BOOKKEEPING_SUFFIX = '.json';

let addon: typeof Hnswlib | undefined;

/** The native addon, loaded on first use: exact search keeps working where it failed to build. */
function hnswlib(): typeof Hnswlib {
  try {
    addon ??= createRequire(import.meta.url)('hnswlib-node') as typeof Hnswlib;
    return addon;
  } catch (cause) {
    throw new TideError(
      'CONFIG',
      'HNSW needs the native addon hnswlib-node, which did not load (try `npm rebuild hnswlib-node`); ' +
        "kind 'exact' works without it",
      undefined,
      { cause },
    );
  }
}

const ABSENT = 0;
const PRESENT = 1;
const REMOVED = 2;

/**
 * Approximate inner-product search on an HNSW graph (hnswlib, native, its 'ip' space: distance =
 * 1 − ⟨q, x⟩, so un-normalised vectors need no transform and items can be added at any time).
 * The filter runs inside the graph walk (hnswlib's callback), so k allowed items come back as long as
 * enough exist, at the cost of one JS call per candidate visited; removal marks a node deleted, it
 * stays in the graph as a waypoint. Scores are 1 − hnswlib's float32 distance.
 *
 * @example
 * const index = new HnswIndex(64, { efSearch: 128, capacity: 1_000_000 });
 * index.add(ids, itemsRowMajor);
 * const { ids: top } = index.search(userVector, 10, (id) => !seen.has(id));
 */
export class HnswIndex implements VectorIndex {
  private readonly graph: Hnswlib.HierarchicalNSW;
  /** ABSENT / PRESENT / REMOVED per id; hnswlib keeps a slot for every id ever added. */
  private stateById = new Uint8Array(0);
  private count = 0;
  private slots = 0;
  private ef: number;

  constructor(
    readonly dim: number,
    {
      m = HNSW_DEFAULTS.m,
      efConstruction = HNSW_DEFAULTS.efConstruction,
      efSearch = HNSW_DEFAULTS.efSearch,
      capacity = 1024,
      seed = HNSW_DEFAULTS.seed,
    }: HnswOptions = {},
  ) {
    this.graph = new (hnswlib().HierarchicalNSW)('ip', dim);
    this.graph.initIndex({ maxElements: Math.max(capacity, 1), m, efConstruction, randomSeed: seed });
    this.ef = efSearch;
    this.graph.setEf(efSearch);
  }

  /**
   * Reads an index written by `save` (M and efConstruction come from the file; efSearch does not),
   * on libuv's thread pool: loading a 1M-item graph takes seconds (building it, many minutes), and the
   * event loop keeps serving meanwhile.
   *
   * @example
   * const index = await HnswIndex.load('items.hnsw', 65, { efSearch: 128 });
   */
  static async load(
    path: string,
    dim: number,
    { efSearch = HNSW_DEFAULTS.efSearch }: HnswOptions = {},
  ): Promise<HnswIndex> {
    let saved: SavedBookkeeping;
    try {
      saved = JSON.parse(readFileSync(path + BOOKKEEPING_SUFFIX, 'utf8')) as SavedBookkeeping;
    } catch (cause) {
      throw new TideError(
        'STORAGE',
        `${path}${BOOKKEEPING_SUFFIX}: not an index written by HnswIndex.save`,
        undefined,
        {
          cause,
        },
      );
    }
    if (saved.format !== 1 || saved.dim !== dim) {
      throw new TideError(
        'STORAGE',
        `${path}: holds a ${saved.dim}-d index (format ${saved.format}), expected ${dim}-d (format 1)`,
        { file: path + BOOKKEEPING_SUFFIX, field: 'dim' },
      );
    }
    const bytes = statSync(path, { throwIfNoEntry: false })?.size;
    if (saved.bytes !== undefined && bytes !== saved.bytes) {
      throw new TideError(
        'STORAGE',
        `${path}: ${bytes ?? 'no'} bytes where ${saved.bytes} were written (damaged or replaced)`,
        { file: path, field: 'bytes' },
      );
    }
    const index = new HnswIndex(dim, { efSearch, capacity: 1 });
    await index.graph.readIndex(path, false);
    index.graph.setEf(efSearch);
    const ids = index.graph.getIdsList();
    let maxId = -1;
    for (const id of ids) maxId = Math.max(maxId, id);
    index.ensureIds(maxId + 1);
    for (const id of ids) index.stateById[id] = PRESENT;
    for (const id of saved.removed) index.stateById[id] = REMOVED;
    index.slots = ids.length;
    index.count = ids.length - saved.removed.length;
    return index;
  }

  /** Writes the graph to `path` and the ids removed since to `path`.json; `load` reads both back. */
  save(path: string): void {
    this.graph.writeIndexSync(path);
    const removed: number[] = [];
    for (let id = 0; id < this.stateById.length; id++) if (this.stateById[id] === REMOVED) removed.push(id);
    const bookkeeping: SavedBookkeeping = { format: 1, dim: this.dim, removed, bytes: statSync(path).size };
    writeFileSync(path + BOOKKEEPING_SUFFIX, JSON.stringify(bookkeeping));
  }

  get size(): number {
    return this.count;
  }

  get efSearch(): number {
    return this.ef;
  }

  set efSearch(ef: number) {
    this.ef = ef;
    this.graph.setEf(ef);
  }

  add(ids: Int32Array | number[], vectors: Float32Array): void {
    checkAdd(this.dim, ids, vectors);
    let maxId = -1;
    for (let i = 0; i < ids.length; i++) maxId = Math.max(maxId, ids[i]);
    this.ensureIds(maxId + 1);
    // Upper bound on new slots (a repeated new id counts twice): enough to resize once per batch.
    let fresh = 0;
    for (let i = 0; i < ids.length; i++) if (this.stateById[ids[i]] === ABSENT) fresh++;
    const needed = this.slots + fresh;
    const maxElements = this.graph.getMaxElements();
    // grow by a quarter: resizing copies the graph, but doubling a 1M-item graph for one item would not pay
    if (needed > maxElements) this.graph.resizeIndex(Math.max(needed, Math.ceil(1.25 * maxElements), 1024));
    const dim = this.dim;
    for (let i = 0; i < ids.length; i++) {
      const id = ids[i];
      // An id already held (even removed) is updated in place and un-deleted by hnswlib.
      this.graph.addPoint(Array.from(vectors.subarray(i * dim, (i + 1) * dim)), id);
      const state = this.stateById[id];
      if (state === ABSENT) this.slots++;
      if (state !== PRESENT) this.count++;
      this.stateById[id] = PRESENT;
    }
  }

  remove(id: number): void {
    if (id >= 0 && id < this.stateById.length && this.stateById[id] === PRESENT) {
      this.graph.markDelete(id);
      this.stateById[id] = REMOVED;
      this.count--;
    }
  }

  search(query: Float32Array, k: number, filter?: IdFilter): SearchHits {
    checkQuery(this.dim, query, k);
    if (k === 0 || this.count === 0) return noHits();
    // A throw inside a native callback cannot unwind through hnswlib: keep it and rethrow after.
    let failure: { error: unknown } | undefined;
    const allowed = filter
      ? (id: number) => {
          try {
            return filter(id);
          } catch (error) {
            failure ??= { error };
            return false;
          }
        }
      : undefined;
    const found = this.graph.searchKnn(Array.from(query), Math.min(k, this.count), allowed);
    if (failure) throw failure.error;
    const n = found.neighbors.length;
    const ids = new Int32Array(n);
    const scores = new Float32Array(n);
    for (let i = 0; i < n; i++) {
      ids[i] = found.neighbors[i];
      scores[i] = 1 - found.distances[i];
    }
    return { ids, scores };
  }

  private ensureIds(needed: number): void {
    if (needed <= this.stateById.length) return;
    const grown = new Uint8Array(Math.max(needed, 2 * this.stateById.length));
    grown.set(this.stateById);
    this.stateById = grown;
  }
}
