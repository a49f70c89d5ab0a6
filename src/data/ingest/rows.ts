import { basename } from 'node:path';
import { TideError } from '../../core/errors.js';
import type { ReadOptions } from '../source.js';
import { type ReadLinesOptions, readLines } from './lines.js';

/** Options every ingest reader takes: skipping (from ReadOptions) plus how to read the bytes. */
export interface IngestOptions extends ReadOptions, ReadLinesOptions {}

/** Turns one line into a record; throws `invalidField(...)` for a bad row. */
export type RowParser<T> = (text: string, line: number) => T;

export interface MapRowsOptions<T> extends IngestOptions {
  /**
   * Called with the first non-empty line instead of `parse` (a header). What it throws is never
   * skipped: a header that does not fit the mapping makes every row unreadable.
   */
  header?: (text: string, line: number) => void;
  parse: RowParser<T | undefined>;
}

/**
 * True for an error about one row (INVALID_INPUT with a line), which `onInvalid` may skip.
 *
 * @example
 * try { await collect(src.events()); } catch (err) { if (isRowError(err)) console.log(err.location); }
 */
export function isRowError(err: unknown): err is TideError {
  return err instanceof TideError && err.code === 'INVALID_INPUT' && err.location?.line !== undefined;
}

/**
 * Streams a file's lines through `parse`, one output batch per read chunk (empty batches are not
 * yielded; `undefined` results are dropped). Without `onInvalid` the first bad row throws; with it
 * the row's error is reported there and the row skipped.
 *
 * @example
 * const batches = mapRows('u.genre', { parse: (text) => text.split('|')[0] });
 */
export async function* mapRows<T>(path: string, opts: MapRowsOptions<T>): AsyncGenerator<T[]> {
  const { onInvalid, header, parse } = opts;
  let seenHeader = header === undefined;
  for await (const lines of readLines(path, opts)) {
    const out: T[] = [];
    for (let i = 0; i < lines.length; i++) {
      const { text, line } = lines[i];
      if (!seenHeader) {
        seenHeader = true;
        header?.(text, line);
        continue;
      }
      try {
        const row = parse(text, line);
        if (row !== undefined) out.push(row);
      } catch (err) {
        if (onInvalid === undefined || !isRowError(err)) throw err;
        onInvalid(err);
      }
    }
    if (out.length > 0) yield out;
  }
}

/** The name used in messages for a file: its base name (`u.data`), whatever path was passed. */
export function fileLabel(path: string): string {
  return basename(path);
}

/** Reads a whole (small) file into one array, e.g. a genre list or a tag table. */
export async function collect<T>(batches: AsyncIterable<T[]>): Promise<T[]> {
  const all: T[] = [];
  for await (const batch of batches) for (const row of batch) all.push(row);
  return all;
}
