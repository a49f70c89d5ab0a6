import { createHash } from 'node:crypto';
import Database from 'better-sqlite3';
import { TideError } from '../core/errors.js';

const SCHEMA = `
CREATE TABLE IF NOT EXISTS embeddings (
  encoder_id TEXT NOT NULL,
  text_sha256 BLOB NOT NULL,
  dim INTEGER NOT NULL,
  vector BLOB NOT NULL,
  PRIMARY KEY (encoder_id, text_sha256)
) WITHOUT ROWID`;

interface Row {
  dim: number;
  vector: Buffer;
}

/**
 * Text embeddings kept in SQLite (WAL mode), keyed by (encoder id, sha256 of the text), each row
 * holding the vector's `dim` and its float32 values (little-endian) as a BLOB. A vector cached under
 * one encoder id is never returned for another: a change of model is a change of id, hence a miss.
 *
 * @example
 * const cache = EmbeddingCache.open('tide-embeddings.db');
 * cache.put(encoder.id, encoder.dim, ['Heat (1995)'], vectors);
 * const [hit] = cache.get(encoder.id, ['Heat (1995)'], encoder.dim); // Float32Array | undefined
 * cache.close();
 */
export class EmbeddingCache {
  private readonly selectOne: Database.Statement<[string, Buffer], Row>;
  private readonly selectDim: Database.Statement<[string], { dim: number }>;
  private readonly insert: Database.Statement<[string, Buffer, number, Buffer]>;
  private readonly countRows: Database.Statement<[string], { n: number }>;

  private constructor(
    private readonly db: Database.Database,
    /** The database file, for messages. */
    readonly path: string,
  ) {
    this.selectOne = db.prepare(
      'SELECT dim, vector FROM embeddings WHERE encoder_id = ? AND text_sha256 = ?',
    );
    this.selectDim = db.prepare('SELECT dim FROM embeddings WHERE encoder_id = ? LIMIT 1');
    this.insert = db.prepare(
      'INSERT OR REPLACE INTO embeddings (encoder_id, text_sha256, dim, vector) VALUES (?, ?, ?, ?)',
    );
    this.countRows = db.prepare('SELECT COUNT(*) AS n FROM embeddings WHERE encoder_id = ?');
  }

  /** Opens (creating if needed) the cache at `path`, or an in-memory one for `':memory:'`. */
  static open(path: string): EmbeddingCache {
    try {
      const db = new Database(path);
      db.pragma('journal_mode = WAL');
      db.pragma('synchronous = NORMAL');
      db.exec(SCHEMA);
      return new EmbeddingCache(db, path);
    } catch (cause) {
      throw new TideError(
        'STORAGE',
        `${path}: cannot open the embedding cache: ${(cause as Error).message}`,
        {
          file: path,
        },
        { cause },
      );
    }
  }

  /**
   * The cached vector of each text under `encoderId`, or undefined where there is none. With
   * `expectedDim`, a cached vector of another size is an error.
   */
  get(encoderId: string, texts: readonly string[], expectedDim?: number): (Float32Array | undefined)[] {
    return texts.map((text) => {
      const row = this.selectOne.get(encoderId, textKey(text));
      if (!row) return undefined;
      if (expectedDim !== undefined && row.dim !== expectedDim) {
        throw this.dimMismatch(encoderId, row.dim, expectedDim);
      }
      if (row.vector.byteLength !== row.dim * 4) {
        throw new TideError(
          'STORAGE',
          `${this.path}: a cached vector of ${encoderId} has ${row.vector.byteLength} bytes, expected ${row.dim * 4} (dim ${row.dim})`,
        );
      }
      // A copy: the Buffer may sit at an offset that is not a multiple of 4.
      const bytes = row.vector.buffer.slice(
        row.vector.byteOffset,
        row.vector.byteOffset + row.vector.byteLength,
      );
      return new Float32Array(bytes);
    });
  }

  /**
   * Stores `vectors[i]` as the embedding of `texts[i]` under `encoderId`, in one transaction. Every
   * vector must have `dim` values, and `dim` must match what the cache holds for this encoder.
   */
  put(encoderId: string, dim: number, texts: readonly string[], vectors: readonly Float32Array[]): void {
    if (texts.length !== vectors.length) {
      throw new TideError('INVALID_INPUT', `cache put: ${texts.length} texts but ${vectors.length} vectors`);
    }
    const stored = this.selectDim.get(encoderId);
    if (stored && stored.dim !== dim) throw this.dimMismatch(encoderId, stored.dim, dim);
    vectors.forEach((vector, i) => {
      if (vector.length !== dim) {
        throw new TideError(
          'INVALID_INPUT',
          `cache put: vector ${i} of ${encoderId} has ${vector.length} values, expected ${dim}`,
        );
      }
    });
    this.db.transaction(() => {
      texts.forEach((text, i) => {
        const vector = vectors[i];
        this.insert.run(
          encoderId,
          textKey(text),
          dim,
          Buffer.from(vector.buffer, vector.byteOffset, vector.byteLength),
        );
      });
    })();
  }

  /** How many vectors are cached under `encoderId`. */
  count(encoderId: string): number {
    return this.countRows.get(encoderId)?.n ?? 0;
  }

  close(): void {
    this.db.close();
  }

  private dimMismatch(encoderId: string, storedDim: number, dim: number): TideError {
    return new TideError(
      'STORAGE',
      `${this.path}: ${encoderId} has ${storedDim}-dim vectors cached, but the encoder gives ${dim}; ` +
        'the model changed without changing its id: delete the cache file or use another',
    );
  }
}

/** The cache key of a text: sha256 of its UTF-8 bytes. */
function textKey(text: string): Buffer {
  return createHash('sha256').update(text, 'utf8').digest();
}
