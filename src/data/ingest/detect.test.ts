import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, describe, expect, it } from 'vitest';
import type { TideError } from '../../core/errors.js';
import type { DataSource } from '../source.js';
import { openDataSource } from './detect.js';
import { collect } from './rows.js';

const root = mkdtempSync(join(tmpdir(), 'tide-detect-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

/** Makes a folder under the temp root holding the given files. */
function folder(name: string, files: Record<string, string | Buffer>): string {
  const dir = join(root, name);
  mkdirSync(dir, { recursive: true });
  for (const [file, content] of Object.entries(files)) writeFileSync(join(dir, file), content);
  return dir;
}

function describeSource(src: DataSource) {
  return { name: src.name, format: src.format, hasTimestamps: src.hasTimestamps, hasRatings: src.hasRatings };
}

describe('openDataSource on MovieLens folders', () => {
  const ml1m = folder('ml-1m', {
    'movies.dat': '1::Toy Story (1995)::Comedy\n',
    'sequences.txt.gz': gzipSync('1 1\n1 2\n'),
    'ratings.users1-2999.dat.gz': gzipSync('1::1::5::978300760\n'),
  });

  it('ml-1m: sequences by default, the ratings file when asked', async () => {
    const seq = await openDataSource(ml1m);
    expect(describeSource(seq)).toEqual({
      name: 'ml-1m',
      format: 'movielens-1m-sequences',
      hasTimestamps: false,
      hasRatings: false,
    });
    expect(await collect(seq.events())).toHaveLength(2);
    expect(await collect(seq.items())).toEqual([
      { itemId: '1', title: 'Toy Story (1995)', categories: ['Comedy'], attributes: { year: 1995 } },
    ]);
    const rated = await openDataSource(`${ml1m}/`, { source: 'ratings' });
    expect(describeSource(rated)).toEqual({
      name: 'ml-1m',
      format: 'movielens-1m-ratings',
      hasTimestamps: true,
      hasRatings: true,
    });
    expect(await collect(rated.events())).toEqual([
      { userId: '1', itemId: '1', type: 'rating', value: 5, timestamp: 978300760000 },
    ]);
  });

  it('ml-1m without sequences falls back to ratings.dat; asking for missing sequences fails', async () => {
    const dir = folder('ml-1m-ratings', {
      'movies.dat': '1::A (1990)::Drama\n',
      'ratings.dat': '1::1::4::1\n',
    });
    expect((await openDataSource(dir)).format).toBe('movielens-1m-ratings');
    await expect(openDataSource(dir, { source: 'sequences' })).rejects.toThrow(
      'MovieLens 1M folder without sequences.txt.gz',
    );
  });

  it('ml-100k and ml-latest', async () => {
    const k = folder('ml-100k', {
      'u.data': '1\t2\t3\t4\n',
      'u.item': '2|A (1990)|||u|1\n',
      'u.genre': 'Drama|0\n',
    });
    const src = await openDataSource(k);
    expect(describeSource(src)).toEqual({
      name: 'ml-100k',
      format: 'movielens-100k',
      hasTimestamps: true,
      hasRatings: true,
    });
    expect(await collect(src.items())).toEqual([
      { itemId: '2', title: 'A (1990)', categories: ['Drama'], attributes: { year: 1990 } },
    ]);
    const latest = folder('ml-latest-small', {
      'ratings.csv': 'userId,movieId,rating,timestamp\n1,2,3.5,4\n',
      'movies.csv': 'movieId,title,genres\n2,"B, The (2000)",Drama\n',
    });
    const l = await openDataSource(latest);
    expect(describeSource(l)).toEqual({
      name: 'ml-latest-small',
      format: 'movielens-latest',
      hasTimestamps: true,
      hasRatings: true,
    });
    expect(await collect(l.items())).toEqual([
      { itemId: '2', title: 'B, The (2000)', categories: ['Drama'], attributes: { year: 2000 } },
    ]);
  });
});

describe('openDataSource on generic data', () => {
  it('a folder with events.csv and items.csv, mappings defaulted from the headers', async () => {
    const dir = folder('shop', {
      'events.csv': 'user_id,Item-ID,Rating,ts\nu1,i1,4,1700000000\nu2,i1,x,1700000000\n',
      'items.csv': 'item_id,name,genres,price\ni1,Lamp,home|light,12\n',
    });
    const src = await openDataSource(dir);
    expect(describeSource(src)).toEqual({
      name: 'shop',
      format: 'csv',
      hasTimestamps: true,
      hasRatings: true,
    });
    const errors: TideError[] = [];
    expect(await collect(src.events({ onInvalid: (e) => errors.push(e) }))).toEqual([
      { userId: 'u1', itemId: 'i1', type: 'rating', value: 4, timestamp: 1.7e12 },
    ]);
    expect(errors.map((e) => e.message)).toEqual(['events.csv:3: Rating "x" is not a number']);
    // events() re-reads the file each time.
    expect(await collect(src.events({ onInvalid: () => {} }))).toHaveLength(1);
    expect(await collect(src.items())).toEqual([
      { itemId: 'i1', title: 'Lamp', categories: ['home', 'light'], attributes: { price: 12 } },
    ]);
  });

  it('a folder with gzip JSONL events, and a single TSV file', async () => {
    const dir = folder('app', {
      'events.jsonl.gz': gzipSync('{"userId":"a","itemId":"b","timestamp":5}\n'),
    });
    const src = await openDataSource(dir);
    expect(describeSource(src)).toEqual({
      name: 'app',
      format: 'jsonl',
      hasTimestamps: true,
      hasRatings: false,
    });
    expect(await collect(src.items())).toEqual([]);
    const tsv = join(folder('single', { 'clicks.tsv': 'user\titem\nx\ty\n' }), 'clicks.tsv');
    const one = await openDataSource(tsv);
    expect(describeSource(one)).toEqual({
      name: 'csv:clicks.tsv',
      format: 'csv',
      hasTimestamps: false,
      hasRatings: false,
    });
    expect(await collect(one.events())).toEqual([{ userId: 'x', itemId: 'y', type: 'view' }]);
  });

  it('uses a given mapping, and explains a header it cannot map', async () => {
    const path = join(folder('custom', { 'events.csv': 'a,b,c\n1,2,3\n' }), 'events.csv');
    await expect(openDataSource(path)).rejects.toThrow(
      'events.csv: no user column in header (a, b, c); looked for userid, user, uid, customerid, visitorid ' +
        '(case, _ and - ignored); pass a mapping',
    );
    const src = await openDataSource(path, {
      csvEvents: { user: 'b', item: 'a', value: 'c', fixedType: 'purchase' },
    });
    expect(await collect(src.events())).toEqual([{ userId: '2', itemId: '1', type: 'purchase', value: 3 }]);
  });

  it('rejects a missing path and an unrecognised folder, listing what it looked for', async () => {
    const missing = join(root, 'nothing-here');
    await expect(openDataSource(missing)).rejects.toMatchObject({ code: 'INVALID_INPUT' });
    await expect(openDataSource(missing)).rejects.toThrow(`${missing}: no such file or directory`);
    const other = folder('other', { 'README.md': 'hi' });
    await expect(openDataSource(other)).rejects.toThrow(
      `${other}: unrecognised data folder; looked for movies.dat + sequences.txt.gz or ratings.dat[.gz] (MovieLens 1M); ` +
        'u.data + u.item (MovieLens 100K); ratings.csv + movies.csv (MovieLens latest); ' +
        'events.{csv,tsv,jsonl}[.gz] with optional items.* (generic)',
    );
  });
});

describe('openDataSource on the real ml-1m folder', () => {
  it('reads all 1,000,209 sequence events and 3,883 movies', async () => {
    const src = await openDataSource('/work/shared/data/ml-1m');
    expect(src.format).toBe('movielens-1m-sequences');
    let events = 0;
    const users = new Set<string>();
    let batches = 0;
    for await (const batch of src.events()) {
      batches++;
      events += batch.length;
      for (const e of batch) users.add(e.userId);
    }
    expect(events).toBe(1_000_209);
    expect(users.size).toBe(6040);
    expect(batches).toBeGreaterThan(10);
    const items = await collect(src.items());
    expect(items).toHaveLength(3883);
    expect(items.find((i) => i.itemId === '73')?.title).toBe('Misérables, Les (1995)');
  });
});
