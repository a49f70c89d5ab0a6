import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { tempFiles } from '../../../test/fixtures/files.js';
import type { Event, Item } from '../../core/types.js';
import { ml1mMovies, ml1mRatings, ml1mSequences, ml100kItems, ml100kRatings } from './movielens.js';
import { mlLatestMovies, mlLatestRatings, mlLatestTags } from './movielens-latest.js';
import { collect, type IngestOptions } from './rows.js';

const { write } = tempFiles('tide-ml-');

/** Text with `ê` written as the single Latin-1 byte 0xEA. */
function latin1(text: string): Buffer {
  return Buffer.from(text, 'latin1');
}

/** Reads all rows, collecting the messages of skipped ones. */
async function skipping<T>(read: (opts: IngestOptions) => AsyncIterable<T[]>): Promise<[T[], string[]]> {
  const errors: string[] = [];
  const rows = await collect(read({ onInvalid: (e) => errors.push(e.message) }));
  return [rows, errors];
}

describe('MovieLens 1M', () => {
  it('reads Latin-1 movies.dat with genres and the year from the title', async () => {
    const path = write(
      'movies.dat',
      latin1("1::Toy Story (1995)::Animation|Children's|Comedy\n2::Bête Noire (Les) (V) (1962)::Drama\n"),
    );
    expect(await collect(ml1mMovies(path))).toEqual<Item[]>([
      {
        itemId: '1',
        title: 'Toy Story (1995)',
        categories: ['Animation', "Children's", 'Comedy'],
        attributes: { year: 1995 },
      },
      {
        itemId: '2',
        title: 'Bête Noire (Les) (V) (1962)',
        categories: ['Drama'],
        attributes: { year: 1962 },
      },
    ]);
  });

  it('reads sequences as timeless views and ratings as timed ratings, gzip or not', async () => {
    const seq = write('sequences.txt.gz', gzipSync('1 3186\n1 1721\n2 1\n'));
    expect(await collect(ml1mSequences(seq))).toEqual<Event[]>([
      { userId: '1', itemId: '3186', type: 'view' },
      { userId: '1', itemId: '1721', type: 'view' },
      { userId: '2', itemId: '1', type: 'view' },
    ]);
    const text = '1::1193::5::978300760\n1::661::3::978302109\n';
    const plain = await collect(ml1mRatings(write('ratings.dat', text)));
    expect(await collect(ml1mRatings(write('ratings.dat.gz', gzipSync(text))))).toEqual(plain);
    expect(plain[0]).toEqual({
      userId: '1',
      itemId: '1193',
      type: 'rating',
      value: 5,
      timestamp: 978300760000,
    });
  });

  it('rejects malformed rows with file:line and field', async () => {
    const seq = write('seq-bad.txt', '1 2\n1\n1 2 3\nx 2\n1 2.5\n3 4\n');
    expect(await skipping((o) => ml1mSequences(seq, o))).toEqual([
      [
        { userId: '1', itemId: '2', type: 'view' },
        { userId: '3', itemId: '4', type: 'view' },
      ],
      [
        'seq-bad.txt:2: expected 2 fields, found 1',
        'seq-bad.txt:3: expected 2 fields, found 3',
        'seq-bad.txt:4: userId "x" is not an integer id',
        'seq-bad.txt:5: movieId "2.5" is not an integer id',
      ],
    ]);
    const ratings = write('ratings-bad.dat', '1::2::3::4\n1::2::five::4\n1::2::9::4\n1::2::3::-4\n1::2::3\n');
    const [rows, errors] = await skipping((o) => ml1mRatings(ratings, o));
    expect(rows).toHaveLength(1);
    expect(errors).toEqual([
      'ratings-bad.dat:2: rating "five" is not a number',
      'ratings-bad.dat:3: rating 9 is outside 0.5..5',
      'ratings-bad.dat:4: timestamp "-4" is not a whole non-negative number of seconds',
      'ratings-bad.dat:5: expected 4 fields, found 3',
    ]);
    const movies = write('movies-bad.dat', 'x::Title (1999)::Drama\n');
    await expect(collect(ml1mMovies(movies))).rejects.toThrow(
      'movies-bad.dat:1: movieId "x" is not an integer id',
    );
  });
});

describe('MovieLens 100K', () => {
  const genre = write('u.genre', 'unknown|0\nAction|1\nDrama|2\n\n');

  it('reads u.data and u.item with genre names from u.genre', async () => {
    const data = write('u.data', '196\t242\t3\t881250949\n186\t302\t3\t891717742\n');
    expect(await collect(ml100kRatings(data))).toEqual<Event[]>([
      { userId: '196', itemId: '242', type: 'rating', value: 3, timestamp: 881250949000 },
      { userId: '186', itemId: '302', type: 'rating', value: 3, timestamp: 891717742000 },
    ]);
    const item = write(
      'u.item',
      latin1(
        '1|Bête (1995)|01-Jan-1995||http://x|0|1|1\n267|unknown||||1|0|0\n9|No Year|01-Jan-1991||u|0|0|1\n',
      ),
    );
    expect(await collect(ml100kItems(item, genre))).toEqual<Item[]>([
      { itemId: '1', title: 'Bête (1995)', categories: ['Action', 'Drama'], attributes: { year: 1995 } },
      { itemId: '267', title: 'unknown', categories: [] },
      { itemId: '9', title: 'No Year', categories: ['Drama'], attributes: { year: 1991 } },
    ]);
  });

  it('names the bad field of u.data and u.item rows', async () => {
    const data = write('u-bad.data', '1\t2\t3\tabc\n1\t2\t3\n1.5\t2\t3\t4\n1\t2\t3\t4\n');
    expect(await skipping((o) => ml100kRatings(data, o))).toEqual([
      [{ userId: '1', itemId: '2', type: 'rating', value: 3, timestamp: 4000 }],
      [
        'u-bad.data:1: timestamp "abc" is not a number',
        'u-bad.data:2: expected 4 fields, found 3',
        'u-bad.data:3: userId "1.5" is not an integer id',
      ],
    ]);
    const item = write('u-bad.item', '1|A|||u|0|1|2\n2|B|||u|0|1\n');
    const [, errors] = await skipping((o) => ml100kItems(item, genre, o));
    expect(errors).toEqual([
      'u-bad.item:1: Drama flag "2" is not 0 or 1',
      'u-bad.item:2: expected 8 fields, found 7',
    ]);
  });
});

describe('MovieLens latest', () => {
  it('reads ratings.csv, and movies.csv with quoted titles and tags as attributes', async () => {
    const ratings = write(
      'ratings.csv',
      'userId,movieId,rating,timestamp\r\n1,1,4.0,964982703\r\n1,3,0.5,964981247\r\n',
    );
    expect(await collect(mlLatestRatings(ratings))).toEqual<Event[]>([
      { userId: '1', itemId: '1', type: 'rating', value: 4, timestamp: 964982703000 },
      { userId: '1', itemId: '3', type: 'rating', value: 0.5, timestamp: 964981247000 },
    ]);
    const movies = write(
      'movies.csv',
      'movieId,title,genres\n11,"American President, The (1995)",Comedy|Drama|Romance\n7789,"11\'09""01 - September 11 (2002)",Drama\n143410,Hyena Road,(no genres listed)\n',
    );
    const tags = write(
      'tags.csv',
      'userId,movieId,tag,timestamp\n2,11,funny,1\n3,11,"romance, politics",2\n4,11,Funny,3\n5,7789,"""artsy""",4\n5,99,orphan,5\n',
    );
    expect((await mlLatestTags(tags)).get('11')).toEqual(['funny', 'romance, politics']);
    expect(await collect(mlLatestMovies(movies, tags))).toEqual<Item[]>([
      {
        itemId: '11',
        title: 'American President, The (1995)',
        categories: ['Comedy', 'Drama', 'Romance'],
        attributes: { year: 1995, tags: 'funny|romance, politics' },
      },
      {
        itemId: '7789',
        title: '11\'09"01 - September 11 (2002)',
        categories: ['Drama'],
        attributes: { year: 2002, tags: '"artsy"' },
      },
      { itemId: '143410', title: 'Hyena Road', categories: [] },
    ]);
  });

  it('rejects a wrong header whatever onInvalid says, and bad rows by field', async () => {
    const wrong = write('wrong.csv', 'user,movie,rating,timestamp\n1,1,4,5\n');
    await expect(collect(mlLatestRatings(wrong, { onInvalid: () => {} }))).rejects.toThrow(
      'wrong.csv:1: header is "user,movie,rating,timestamp", expected "userId,movieId,rating,timestamp"',
    );
    const bad = write(
      'bad-ratings.csv',
      'userId,movieId,rating,timestamp\n1,1,4.0,964982703\n1,2,,1\n1,"3,4",1\n',
    );
    expect((await skipping((o) => mlLatestRatings(bad, o)))[1]).toEqual([
      'bad-ratings.csv:3: rating "" is not a number',
      'bad-ratings.csv:4: expected 4 fields, found 3',
    ]);
  });
});

describe('real MovieLens files (read-only, /work/shared/data)', () => {
  const data = '/work/shared/data';

  it('ml-100k: 100,000 ratings and 1,682 items', async () => {
    const events = await collect(ml100kRatings(`${data}/ml-100k/u.data`));
    expect(events).toHaveLength(100_000);
    expect(events[0]).toEqual({
      userId: '196',
      itemId: '242',
      type: 'rating',
      value: 3,
      timestamp: 881250949000,
    });
    const items = await collect(ml100kItems(`${data}/ml-100k/u.item`, `${data}/ml-100k/u.genre`));
    expect(items).toHaveLength(1682);
    expect(items.find((i) => i.itemId === '543')?.title).toBe('Misérables, Les (1995)');
  });

  it('ml-latest-small: 9,742 movies, tags on some of them', async () => {
    const dirPath = `${data}/ml-latest-small`;
    const items = await collect(mlLatestMovies(`${dirPath}/movies.csv`, `${dirPath}/tags.csv`));
    expect(items).toHaveLength(9742);
    expect(items.filter((i) => i.attributes?.tags !== undefined).length).toBeGreaterThan(1000);
  });
});
