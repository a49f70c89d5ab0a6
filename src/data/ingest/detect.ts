import { readdir, stat } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { TideError } from '../../core/errors.js';
import type { Event, Item } from '../../core/types.js';
import type { DataSource } from '../source.js';
import { fileFormat, fileSource, type Reader, source } from './file-source.js';
import { DataSourceOptions, type DataSourceOptionsInput, parseMapping } from './mapping.js';
import { ml1mMovies, ml1mRatings, ml1mSequences, ml100kItems, ml100kRatings } from './movielens.js';
import { mlLatestMovies, mlLatestRatings } from './movielens-latest.js';

const ML1M_RATINGS = ['ratings.dat', 'ratings.dat.gz', 'ratings.users1-2999.dat.gz'];
const GENERIC_EXTENSIONS = ['csv', 'csv.gz', 'tsv', 'tsv.gz', 'jsonl', 'jsonl.gz'];
const LOOKED_FOR = [
  'movies.dat + sequences.txt.gz or ratings.dat[.gz] (MovieLens 1M)',
  'u.data + u.item (MovieLens 100K)',
  'ratings.csv + movies.csv (MovieLens latest)',
  'events.{csv,tsv,jsonl}[.gz] with optional items.* (generic)',
];

function ml1m(dir: string, has: (name: string) => boolean, o: DataSourceOptions): DataSource {
  const name = basename(dir);
  const movies = join(dir, 'movies.dat');
  const items: Reader<Item> = (r) => ml1mMovies(movies, r);
  const sequences = join(dir, 'sequences.txt.gz');
  if (o.source !== 'ratings' && has('sequences.txt.gz')) {
    const events: Reader<Event> = (r) => ml1mSequences(sequences, r);
    return source(name, 'movielens-1m-sequences', { hasTimestamps: false, hasRatings: false }, events, items);
  }
  const ratings = ML1M_RATINGS.find(has);
  if (o.source === 'sequences' || ratings === undefined) {
    const wanted = o.source === 'sequences' ? 'sequences.txt.gz' : ML1M_RATINGS.join(' or ');
    throw new TideError('INVALID_INPUT', `${dir}: MovieLens 1M folder without ${wanted}`, { file: name });
  }
  const events: Reader<Event> = (r) => ml1mRatings(join(dir, ratings), r);
  return source(name, 'movielens-1m-ratings', { hasTimestamps: true, hasRatings: true }, events, items);
}

/**
 * Opens a data folder or a single events file as a DataSource, detecting its format: MovieLens 1M
 * (sequences or ratings), 100K and latest folders, or a generic folder with `events.*` and
 * optionally `items.*` (CSV, TSV or JSONL, plain or gzip), or one such file on its own. Nothing
 * is read beyond a header (or first JSONL record) until `events()` / `items()` is iterated, and
 * both may be iterated any number of times. A MovieLens source is named after its folder
 * (`ml-1m`), a generic folder too, a single file `csv:events.csv` / `jsonl:events.jsonl`.
 *
 * @example
 * const src = await openDataSource('data/ml-1m');           // movielens-1m-sequences
 * const rated = await openDataSource('data/ml-1m', { source: 'ratings' });
 * for await (const batch of src.events({ onInvalid: (e) => console.warn(e.message) })) {}
 */
export async function openDataSource(
  pathOrDir: string,
  options: DataSourceOptionsInput = {},
): Promise<DataSource> {
  const o = parseMapping(DataSourceOptions, options, 'data source options');
  const info = await stat(pathOrDir).catch((err: unknown) => {
    throw new TideError(
      'INVALID_INPUT',
      `${pathOrDir}: ${(err as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file or directory' : (err as Error).message}; ` +
        `looked for a data folder (${LOOKED_FOR.join('; ')}) or an events file`,
      { file: pathOrDir },
      { cause: err },
    );
  });
  if (info.isFile()) {
    const format = fileFormat(pathOrDir) ?? 'file';
    return fileSource(pathOrDir, undefined, `${format}:${basename(pathOrDir)}`, o);
  }
  const names = new Set(await readdir(pathOrDir));
  const has = (name: string) => names.has(name);
  const dir = pathOrDir;
  const name = basename(dir);
  if (has('movies.dat') && (has('sequences.txt.gz') || ML1M_RATINGS.some(has))) return ml1m(dir, has, o);
  if (has('u.data') && has('u.item')) {
    return source(
      name,
      'movielens-100k',
      { hasTimestamps: true, hasRatings: true },
      (r) => ml100kRatings(join(dir, 'u.data'), r),
      (r) => ml100kItems(join(dir, 'u.item'), join(dir, 'u.genre'), r),
    );
  }
  if (has('ratings.csv') && has('movies.csv')) {
    const tags = has('tags.csv') ? join(dir, 'tags.csv') : undefined;
    return source(
      name,
      'movielens-latest',
      { hasTimestamps: true, hasRatings: true },
      (r) => mlLatestRatings(join(dir, 'ratings.csv'), r),
      (r) => mlLatestMovies(join(dir, 'movies.csv'), tags, r),
    );
  }
  const eventsFile = GENERIC_EXTENSIONS.map((ext) => `events.${ext}`).find(has);
  if (eventsFile !== undefined) {
    const itemsFile = GENERIC_EXTENSIONS.map((ext) => `items.${ext}`).find(has);
    return fileSource(join(dir, eventsFile), itemsFile && join(dir, itemsFile), name, o);
  }
  throw new TideError(
    'INVALID_INPUT',
    `${dir}: unrecognised data folder; looked for ${LOOKED_FOR.join('; ')}`,
    { file: name },
  );
}
