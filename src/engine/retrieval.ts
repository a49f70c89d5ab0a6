/**
 * Candidate retrieval for large catalogues: the engine's items in vector indices, so that a request
 * scores a few hundred candidates instead of every item.
 *
 * - Behaviour space: the model's score is u · v_i + b_i, which is the inner product of [u, 1] with
 *   [v_i, b_i]; the index holds the latter, so its hits come back in the model's exact order up to
 *   the index's recall.
 * - Text space: unit text vectors, so the inner product is the cosine the hybrid score uses.
 *
 * The hybrid blend standardises behaviour scores by their mean and std over the whole catalogue. From
 * candidates alone that would change with the pool, so the first and second moments of [v_i, b_i]
 * over all items are kept: for q = [u, 1], mean = q · Σx / n and E[s²] = qᵀ (Σ x xᵀ) q / n, exact
 * in O(dim²) per request.
 */
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import type { ProgressReporter } from '../core/progress.js';
import { silentProgress } from '../core/progress.js';
import { unitRows } from '../text/vectors.js';
import type { Catalog } from './catalog.js';
import { Moments, type ScoreStats } from './score-moments.js';
import type { TextMatrix } from './text-matrix.js';
import { buildHnswFile } from './vector-index/build-in-worker.js';
import { EXACT_BELOW, HNSW_DEFAULTS } from './vector-index/config.js';
import { ExactIndex } from './vector-index/exact.js';
import { HnswIndex, type HnswOptions } from './vector-index/hnsw.js';
import type { IdFilter, SearchHits, VectorIndex } from './vector-index/vector-index.js';

export interface RetrievalOptions {
  /** Catalogues of at least this many items are served through indices (default 50,000). */
  approximateFrom?: number;
  /** 'hnsw' (default) or 'exact' (brute force behind the same path: for tests and recall checks). */
  kind?: 'hnsw' | 'exact';
  /** Graph settings; efSearch defaults to RETRIEVAL_EF_SEARCH here, not to the index's own default. */
  hnsw?: Omit<HnswOptions, 'capacity'>;
  /**
   * Where behaviour indices are saved, one file per model and HNSW setting, and loaded at the next
   * start or swap (building a 1M-item graph takes many minutes; loading it, seconds).
   */
  cacheDir?: string;
  progress?: ProgressReporter;
}

/**
 * efSearch of the engine's item index. Learned item embeddings are harder for HNSW than the clustered
 * vectors of bench/vector-index.ts: on 1M items with the ML-1M SASRec's geometry
 * (bench/engine-large.ts), recall@10 through the engine was 0.82 at efSearch 128, 0.89 at 256,
 * 0.94 at 512 and 0.96 at 1024, where a search still costs ~2 ms.
 */
export const RETRIEVAL_EF_SEARCH = 1024;

/** Rows added to the moments between two turns of the event loop. */
const MOMENT_SLICE = 20_000;

/** The behaviour space: [v_i, b_i] per item, and their moments. */
export class BehaviourSpace {
  /** The x of each cold item as indexed, to take its moments back when it is placed again. */
  private readonly coldRows = new Map<number, { row: Float32Array; projected: boolean }>();
  /** Moments of the cold items placed by projection (their scores are calibrated per query). */
  private readonly projectedMoments: Moments;
  private readonly query: Float32Array;

  private constructor(
    private readonly index: VectorIndex,
    /** Width of the model's vectors; the index's is one more. */
    readonly dim: number,
    /** Σ x and Σ x xᵀ over the indexed items but the projected ones, x = [v, b]. */
    private readonly moments: Moments,
    /** The same over the model's (trained) items only. */
    private readonly trainedMoments: Moments,
    /** How the model's items got into the index, for logs: built (and saved where), or loaded. */
    readonly origin: string,
  ) {
    this.query = new Float32Array(dim + 1);
    this.projectedMoments = new Moments(dim + 1);
  }

  /**
   * Indexes every item the catalogue can score: the model's items (loaded from `cacheDir` when a
   * saved index for this model exists, else built on a worker thread, so that requests keep being
   * answered, and saved there), then the cold ones.
   */
  static async build(catalog: Catalog, options: RetrievalOptions): Promise<BehaviourSpace> {
    const model = catalog.model!;
    const width = model.dim + 1;
    const warm = catalog.warmCount;
    const rows = new Float32Array(warm * width);
    for (let i = 0; i < warm; i++) augment(catalog, i, model.dim, rows.subarray(i * width, (i + 1) * width));
    const trained = new Moments(width);
    // ~2 s for 1M items: in slices, so that requests are still answered during a model swap
    for (let start = 0; start < warm; start += MOMENT_SLICE) {
      trained.addRows(rows.subarray(start * width, Math.min(warm, start + MOMENT_SLICE) * width), 1);
      await new Promise((resolve) => setImmediate(resolve));
    }
    const { index, origin } = await itemIndex(rows, width, options, model.id, 'item index');
    const space = new BehaviourSpace(index, model.dim, trained.clone(), trained, origin);
    for (const coldIndex of catalog.cold.keys()) space.place(catalog, coldIndex);
    return space;
  }

  /** Indexes (or re-indexes) a cold item from its current placement in the catalogue. */
  place(catalog: Catalog, index: number): void {
    const previous = this.coldRows.get(index);
    if (previous) this.momentsOf(previous.projected).addRows(previous.row, -1);
    if (!catalog.embedding(index)) {
      this.coldRows.delete(index);
      this.index.remove?.(index);
      return;
    }
    const row = new Float32Array(this.dim + 1);
    augment(catalog, index, this.dim, row);
    const projected = catalog.cold.get(index)?.projected ?? false;
    this.momentsOf(projected).addRows(row, 1);
    this.coldRows.set(index, { row, projected });
    this.index.add([index], row);
  }

  private momentsOf(projected: boolean): Moments {
    return projected ? this.projectedMoments : this.moments;
  }

  /** The `count` best items for a user vector that pass `filter`, with their behaviour scores. */
  search(userVector: Float32Array, count: number, filter?: IdFilter): SearchHits {
    return this.index.search(this.augmentedQuery(userVector), count, filter);
  }

  /**
   * The mean and std of this user's behaviour scores over every indexed item, the projected new
   * items' mapped by `calibration` as the whole-catalogue path maps them: the two groups' moments
   * pooled, exact.
   */
  stats(userVector: Float32Array, calibration: { offset: number; scale: number } | null): ScoreStats {
    const query = this.augmentedQuery(userVector);
    const projected = this.projectedMoments.scoreMoments(query);
    if (projected.count === 0) return this.moments.scoreStats(query);
    const rest = this.moments.scoreMoments(query);
    // s ↦ a + b·s maps the mean to a + b·m and the mean square to a² + 2ab·m + b²·E[s²]
    const { offset: a, scale: b } = calibration ?? { offset: 0, scale: 1 };
    const mappedMean = a + b * projected.mean;
    const mappedSquare = a * a + 2 * a * b * projected.mean + b * b * projected.meanSquare;
    const count = rest.count + projected.count;
    const mean = (rest.count * rest.mean + projected.count * mappedMean) / count;
    const square = (rest.count * rest.meanSquare + projected.count * mappedSquare) / count;
    return { mean, std: count > 1 ? Math.sqrt(Math.max(square - mean * mean, 0)) || 1 : 1 };
  }

  /** The same over the model's trained items only (what projected new items are calibrated onto). */
  trainedStats(userVector: Float32Array): ScoreStats {
    return this.trainedMoments.scoreStats(this.augmentedQuery(userVector));
  }

  private augmentedQuery(userVector: Float32Array): Float32Array {
    this.query.set(userVector);
    this.query[this.dim] = 1;
    return this.query;
  }

  get size(): number {
    return this.index.size;
  }
}

/** x = [the item's embedding, its bias], into `out` [dim + 1]. */
function augment(catalog: Catalog, index: number, dim: number, out: Float32Array): void {
  out.set(catalog.embedding(index)!);
  out[dim] = catalog.bias(index);
}

/** The text space: unit text vectors by catalogue index, searched by cosine. */
export class TextSpace {
  private constructor(private readonly index: VectorIndex) {}

  /** Indexes the text of every catalogue item that has one (on a worker thread, as item indices are). */
  static async build(texts: TextMatrix, catalog: Catalog, options: RetrievalOptions): Promise<TextSpace> {
    const rows = new Float32Array(catalog.size * texts.dim);
    for (let i = 0; i < catalog.size; i++) {
      const row = texts.row(i);
      if (row) rows.set(row, i * texts.dim);
    }
    const { index } = await itemIndex(rows, texts.dim, options, null, 'text index');
    const space = new TextSpace(index);
    for (let i = 0; i < catalog.size; i++) if (!texts.has(i)) index.remove?.(i);
    return space;
  }

  /** Indexes item `index`'s unit text vector (or drops it when the item has no text). */
  set(texts: TextMatrix, index: number): void {
    const row = texts.row(index);
    if (row) this.index.add([index], row);
    else this.index.remove?.(index);
  }

  /** The `count` items whose text is closest to `query` (any length; it is normalised). */
  search(query: Float32Array, count: number, filter?: IdFilter): SearchHits {
    return this.index.search(unitRows(query, query.length), count, filter);
  }
}

/** Both spaces of one generation; null spaces are absent (no model, or no text encoder). */
export interface Retrieval {
  behaviour: BehaviourSpace | null;
  text: TextSpace | null;
}

/**
 * The indices for a catalogue, or null when it is small enough to score whole (below
 * `approximateFrom` items: there brute force is exact and fast), or when they cannot be built (a
 * process warning says why).
 *
 * @example
 * const retrieval = buildRetrieval(catalog, texts, { cacheDir: './tide-index' });
 */
export async function buildRetrieval(
  catalog: Catalog,
  texts: TextMatrix | null,
  options: RetrievalOptions,
): Promise<Retrieval | null> {
  if (catalog.size < (options.approximateFrom ?? EXACT_BELOW)) return null;
  const settled = { ...options, hnsw: { efSearch: RETRIEVAL_EF_SEARCH, ...options.hnsw } };
  try {
    return {
      behaviour: catalog.model ? await BehaviourSpace.build(catalog, settled) : null,
      text: texts ? await TextSpace.build(texts, catalog, settled) : null,
    };
  } catch (error) {
    // slower, not down: without an index (no native addon, an unwritable --index-dir) every item is scored
    const reason = error instanceof Error ? error.message : String(error);
    process.emitWarning(`no item index (${reason}): every item will be scored`, 'TideWarning');
    return null;
  }
}

/** One file per model and graph setting: a saved graph is only reused for the same ones. */
function indexFile(options: RetrievalOptions, modelId: string, width: number): string {
  const { m, efConstruction, seed } = { ...HNSW_DEFAULTS, ...options.hnsw };
  return join(options.cacheDir!, `${modelId}.d${width}.m${m}.ef${efConstruction}.s${seed}.hnsw`);
}

/**
 * An index of `rows` (id = row): an exact one, or an HNSW graph loaded from the cache directory
 * (only for a model's items: `modelId`), or built on a worker thread into it (into a temporary file
 * otherwise) and loaded from there.
 */
async function itemIndex(
  rows: Float32Array,
  width: number,
  options: RetrievalOptions,
  modelId: string | null,
  name: string,
): Promise<{ index: VectorIndex; origin: string }> {
  const count = rows.length / width;
  if (options.kind === 'exact') {
    const index = new ExactIndex(width, count);
    index.add(
      Int32Array.from({ length: count }, (_, i) => i),
      rows,
    );
    return { index, origin: 'exact index built' };
  }
  const progress = options.progress ?? silentProgress;
  const file = options.cacheDir && modelId ? indexFile(options, modelId, width) : null;
  if (file && existsSync(file)) {
    // a saved graph holds exactly the model's items; anything else (or an unreadable file) is rebuilt
    const saved = await loadOrNull(file, width, options.hnsw);
    if (saved?.size === count) return { index: saved, origin: `HNSW index loaded from ${file}` };
  }
  const scratch = file ? null : mkdtempSync(join(tmpdir(), 'tide-index-'));
  const target = file ?? join(scratch!, 'items.hnsw');
  try {
    mkdirSync(dirname(target), { recursive: true });
    await buildHnswFile({ dim: width, rows, options: options.hnsw ?? {}, file: target, name }, progress);
    const index = await HnswIndex.load(target, width, options.hnsw);
    return { index, origin: file ? `HNSW index built, saved to ${file}` : 'HNSW index built' };
  } finally {
    if (scratch) rmSync(scratch, { recursive: true, force: true });
  }
}

async function loadOrNull(
  file: string,
  width: number,
  options: RetrievalOptions['hnsw'],
): Promise<HnswIndex | null> {
  try {
    return await HnswIndex.load(file, width, options);
  } catch {
    return null;
  }
}
