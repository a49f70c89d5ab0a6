import { invalidField, TideError } from '../../core/errors.js';
import type { Event, Item } from '../../core/types.js';
import { parseCsvLine } from './csv-line.js';
import { intId } from './fields.js';
import { genreList, ratingEvent, yearAttributes } from './movielens.js';
import { collect, fileLabel, type IngestOptions, mapRows } from './rows.js';

/**
 * Readers for GroupLens "ml-latest" / "ml-latest-small" (UTF-8 CSV with a header). The header must
 * be the documented one; field names in messages are the header's (`movieId`...).
 */

/** Throws a fatal (never skipped) error when a header is not the expected one. */
function checkHeader(file: string, expected: string[]): (text: string, line: number) => void {
  return (text, line) => {
    const got = parseCsvLine(text, ',', { file, line }).map((name) => name.trim());
    if (got.join(',') !== expected.join(',')) {
      throw new TideError(
        'INVALID_INPUT',
        `${file}:${line}: header is "${got.join(',')}", expected "${expected.join(',')}"`,
        { file, line },
      );
    }
  };
}

function csvFields(text: string, count: number, file: string, line: number): string[] {
  const f = parseCsvLine(text, ',', { file, line });
  if (f.length !== count) throw invalidField({ file, line }, `expected ${count} fields, found ${f.length}`);
  return f;
}

/**
 * `ratings.csv` (`userId,movieId,rating,timestamp`, seconds) as 'rating' Events.
 *
 * @example
 * for await (const batch of mlLatestRatings('data/ml-latest-small/ratings.csv')) {}
 */
export function mlLatestRatings(path: string, opts: IngestOptions = {}): AsyncGenerator<Event[]> {
  const file = fileLabel(path);
  return mapRows<Event>(path, {
    ...opts,
    header: checkHeader(file, ['userId', 'movieId', 'rating', 'timestamp']),
    parse: (text, line) => ratingEvent(csvFields(text, 4, file, line), file, line),
  });
}

/**
 * The tags of `tags.csv` (`userId,movieId,tag,timestamp`) per movie: distinct tags (compared
 * case-insensitively, first spelling kept), most applied first, ties in order of first use.
 *
 * @example
 * const tags = await mlLatestTags('data/ml-latest-small/tags.csv'); // Map { '60756' => ['funny', ...] }
 */
export async function mlLatestTags(path: string, opts: IngestOptions = {}): Promise<Map<string, string[]>> {
  const file = fileLabel(path);
  const rows = mapRows<[string, string]>(path, {
    ...opts,
    header: checkHeader(file, ['userId', 'movieId', 'tag', 'timestamp']),
    parse: (text, line) => {
      const f = csvFields(text, 4, file, line);
      intId(f[0], { file, line, field: 'userId' });
      const tag = f[2].trim();
      return tag === '' ? undefined : [intId(f[1], { file, line, field: 'movieId' }), tag];
    },
  });
  // movieId -> lower-cased tag -> [spelling, count]; Map keeps first-use order for the tie-break.
  const counts = new Map<string, Map<string, [string, number]>>();
  for (const [movie, tag] of await collect(rows)) {
    let byTag = counts.get(movie);
    if (!byTag) {
      byTag = new Map();
      counts.set(movie, byTag);
    }
    const key = tag.toLowerCase();
    const entry = byTag.get(key);
    if (entry) entry[1]++;
    else byTag.set(key, [tag, 1]);
  }
  const tags = new Map<string, string[]>();
  for (const [movie, byTag] of counts) {
    const ranked = [...byTag.values()].sort((a, b) => b[1] - a[1]); // stable: ties keep first use
    tags.set(
      movie,
      ranked.map(([spelling]) => spelling),
    );
  }
  return tags;
}

/** Separator of the tags joined into `attributes.tags` (no ml-latest tag contains it). */
export const TAG_SEPARATOR = '|';

/**
 * `movies.csv` (`movieId,title,genres`; titles with commas are quoted) as Items: categories =
 * genres (`(no genres listed)` gives none), `attributes.year` from the title, and, when a
 * `tags.csv` is given, `attributes.tags` = the movie's user tags joined with `|` (see
 * `mlLatestTags`). Tags are free text from users (1,475 distinct in ml-latest-small, on a sixth
 * of the movies), so they stay out of `categories`, which remain the closed genre vocabulary.
 *
 * @example
 * const items = mlLatestMovies('data/ml-latest-small/movies.csv', 'data/ml-latest-small/tags.csv');
 */
export async function* mlLatestMovies(
  path: string,
  tagsPath?: string,
  opts: IngestOptions = {},
): AsyncGenerator<Item[]> {
  const tags = tagsPath === undefined ? new Map<string, string[]>() : await mlLatestTags(tagsPath, opts);
  const file = fileLabel(path);
  yield* mapRows<Item>(path, {
    ...opts,
    header: checkHeader(file, ['movieId', 'title', 'genres']),
    parse: (text, line) => {
      const [id, title, genres] = csvFields(text, 3, file, line);
      const item: Item = {
        itemId: intId(id, { file, line, field: 'movieId' }),
        title,
        categories: genreList(genres),
      };
      const attributes: NonNullable<Item['attributes']> = { ...yearAttributes(title) };
      const movieTags = tags.get(item.itemId);
      if (movieTags) attributes.tags = movieTags.join(TAG_SEPARATOR);
      if (Object.keys(attributes).length > 0) item.attributes = attributes;
      return item;
    },
  });
}
