/**
 * The port the online engine retrieves candidates through: top-k items by inner product with a user
 * vector. Ids are dense item indices (0..n-1), so implementations may keep per-id state in arrays.
 */
import { TideError } from '../../core/errors.js';

/** The ids and inner-product scores of one search, best first. */
export interface SearchHits {
  ids: Int32Array;
  scores: Float32Array;
}

/** Whether item `id` may be returned (e.g. not already seen). Must not throw. */
export type IdFilter = (id: number) => boolean;

/**
 * Top-k retrieval by inner product `⟨query, item⟩` over item vectors of one dimension.
 *
 * @example
 * const index: VectorIndex = new ExactIndex(64);
 * index.add([0, 1], itemsRowMajor); // 2 × 64 floats
 * const { ids, scores } = index.search(userVector, 10, (id) => !seen.has(id));
 */
export interface VectorIndex {
  readonly dim: number;
  /** Items currently searchable (added and not removed). */
  readonly size: number;
  /** Adds items, or replaces the vectors of ids already present; `vectors` is ids.length × dim, row-major. */
  add(ids: Int32Array | number[], vectors: Float32Array): void;
  /** Makes an item unsearchable until it is added again; unknown ids are ignored. */
  remove?(id: number): void;
  /** At most `k` items (fewer when fewer are present or pass `filter`), best first. */
  search(query: Float32Array, k: number, filter?: IdFilter): SearchHits;
}

/** Throws unless `ids` are non-negative integers and `vectors` holds one row of `dim` floats per id. */
export function checkAdd(dim: number, ids: ArrayLike<number>, vectors: Float32Array): void {
  if (vectors.length !== ids.length * dim) {
    throw new TideError(
      'INVALID_INPUT',
      `vector index add: ${ids.length} ids need ${ids.length * dim} floats (dim ${dim}), got ${vectors.length}`,
    );
  }
  for (let i = 0; i < ids.length; i++) {
    const id = ids[i];
    if (!Number.isInteger(id) || id < 0 || id > 0x7fffffff) {
      throw new TideError('INVALID_INPUT', `vector index add: ids[${i}] = ${id} is not a non-negative int32`);
    }
  }
}

/** Throws unless `query` has `dim` floats and `k` is a non-negative integer. */
export function checkQuery(dim: number, query: Float32Array, k: number): void {
  if (query.length !== dim) {
    throw new TideError(
      'INVALID_INPUT',
      `vector index search: query has ${query.length} floats, index dim is ${dim}`,
    );
  }
  if (!Number.isInteger(k) || k < 0) {
    throw new TideError('INVALID_INPUT', `vector index search: k = ${k} is not a non-negative integer`);
  }
}

/** The empty result, for k = 0 or an empty index. */
export function noHits(): SearchHits {
  return { ids: new Int32Array(0), scores: new Float32Array(0) };
}
