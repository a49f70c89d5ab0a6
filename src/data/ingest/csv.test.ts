import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { tempFiles } from '../../../test/fixtures/files.js';
import type { TideError } from '../../core/errors.js';
import { csvEvents, csvItems } from './csv.js';
import { parseCsvLine } from './csv-line.js';
import { collect } from './rows.js';

const { write } = tempFiles('tide-csv-');

describe('parseCsvLine', () => {
  it('splits plain, quoted and empty fields', () => {
    expect(parseCsvLine('a,b,,d')).toEqual(['a', 'b', '', 'd']);
    expect(parseCsvLine('1,"American President, The (1995)",Comedy|Drama')).toEqual([
      '1',
      'American President, The (1995)',
      'Comedy|Drama',
    ]);
    expect(parseCsvLine('7789,"11\'09""01 - September 11 (2002)",Drama')).toEqual([
      '7789',
      '11\'09"01 - September 11 (2002)',
      'Drama',
    ]);
    expect(parseCsvLine('"""artsy""",x')).toEqual(['"artsy"', 'x']);
    expect(parseCsvLine('"",""')).toEqual(['', '']);
    expect(parseCsvLine('a,"b"')).toEqual(['a', 'b']);
    expect(parseCsvLine('a,')).toEqual(['a', '']);
    expect(parseCsvLine('5 "inch" screen,x')).toEqual(['5 "inch" screen', 'x']);
  });

  it('takes any delimiter, including tab and ::', () => {
    expect(parseCsvLine('1\t2\t"a\tb"', '\t')).toEqual(['1', '2', 'a\tb']);
    expect(parseCsvLine('1::Toy Story (1995)::"x::y"', '::')).toEqual(['1', 'Toy Story (1995)', 'x::y']);
  });

  it('rejects an unterminated quote (multi-line fields) and text after a closing quote', () => {
    const at = { file: 'items.csv', line: 4 };
    expect(() => parseCsvLine('1,"no end', ',', at)).toThrow(
      'items.csv:4: unterminated quoted field (quoted fields spanning lines are not supported)',
    );
    expect(() => parseCsvLine('1,"a"b,c', ',', at)).toThrow(
      'items.csv:4: unexpected text after a closing quote at column 6',
    );
  });
});

describe('csvEvents', () => {
  const events = write(
    'events.csv',
    [
      'user,item,kind,rating,ts,device,zip',
      'u1,i1,view,,1700000000,mobile,02139',
      'u1,"i,2",rating,4.5,1700000000123,desktop,',
      ' u2 ,i3,purchase,19.99,2023-11-14T22:13:20Z,,7',
    ].join('\r\n'),
  );
  const mapping = {
    user: 'user',
    item: 'item',
    type: 'kind',
    value: 'rating',
    timestamp: 'ts',
    context: ['device', 'zip'],
  };

  it('maps columns by header name, with auto timestamps and typed context', async () => {
    expect(await collect(csvEvents(events, mapping))).toEqual([
      {
        userId: 'u1',
        itemId: 'i1',
        type: 'view',
        timestamp: 1.7e12,
        context: { device: 'mobile', zip: '02139' },
      },
      {
        userId: 'u1',
        itemId: 'i,2',
        type: 'rating',
        value: 4.5,
        timestamp: 1700000000123,
        context: { device: 'desktop' },
      },
      { userId: 'u2', itemId: 'i3', type: 'purchase', value: 19.99, timestamp: 1.7e12, context: { zip: 7 } },
    ]);
  });

  it('maps columns by index in a headerless TSV, with a fixed type and explicit unit', async () => {
    const path = write('plain.tsv', '7\t8\t3\t1700000000000\n9\t8\t5\t1700000001000\n');
    const got = await collect(
      csvEvents(
        path,
        { user: 0, item: 1, value: 2, timestamp: 3, fixedType: 'rating', timestampUnit: 'milliseconds' },
        { delimiter: '\t', header: false },
      ),
    );
    expect(got).toEqual([
      { userId: '7', itemId: '8', type: 'rating', value: 3, timestamp: 1700000000000 },
      { userId: '9', itemId: '8', type: 'rating', value: 5, timestamp: 1700000001000 },
    ]);
  });

  it('reads gzip and plain alike', async () => {
    const gz = write('events.csv.gz', gzipSync(Buffer.from('user,item\na,b\nc,d\n')));
    const plain = write('events2.csv', 'user,item\na,b\nc,d\n');
    const m = { user: 'user', item: 'item' };
    expect(await collect(csvEvents(gz, m))).toEqual(await collect(csvEvents(plain, m)));
    expect(await collect(csvEvents(gz, m))).toHaveLength(2);
  });

  const bad = write(
    'bad.csv',
    [
      'user,item,kind,rating,ts',
      'u,i,view,1,100', // 2: fine
      'u,i,view,1', // 3: too few fields
      'u,i,like,1,100', // 4: unknown type
      'u,i,view,abc,100', // 5: value not a number
      'u,i,view,1,yesterday', // 6: not a date
      ',i,view,1,100', // 7: empty user
      'u,"i,view,1,100', // 8: unterminated quote
      'u,i2,view,2,200', // 9: fine
    ].join('\n'),
  );
  const badMapping = { user: 'user', item: 'item', type: 'kind', value: 'rating', timestamp: 'ts' };

  it('throws on the first bad row, naming file, line and field', async () => {
    await expect(collect(csvEvents(bad, badMapping))).rejects.toThrow(
      'bad.csv:3: expected 5 fields, found 4',
    );
  });

  it('reports and skips every kind of bad row with onInvalid', async () => {
    const errors: TideError[] = [];
    const got = await collect(csvEvents(bad, badMapping, { onInvalid: (e) => errors.push(e) }));
    expect(got.map((e) => e.itemId)).toEqual(['i', 'i2']);
    expect(errors.map((e) => e.message)).toEqual([
      'bad.csv:3: expected 5 fields, found 4',
      'bad.csv:4: kind "like" is not one of view, click, cart, purchase, rating, custom',
      'bad.csv:5: rating "abc" is not a number',
      'bad.csv:6: ts "yesterday" is not a date',
      'bad.csv:7: user is empty',
      'bad.csv:8: unterminated quoted field (quoted fields spanning lines are not supported)',
    ]);
    expect(errors[2].location).toEqual({ file: 'bad.csv', line: 5, field: 'rating' });
  });

  it('fails on a mapping that does not fit the file, even when skipping rows', async () => {
    const skip = { onInvalid: () => {} };
    await expect(collect(csvEvents(bad, { user: 'user_id', item: 'item' }, skip))).rejects.toThrow(
      'bad.csv:1: no column "user_id" for userId in header (user, item, kind, rating, ts)',
    );
    await expect(collect(csvEvents(bad, { user: 0, item: 'item' }, { header: false }))).rejects.toThrow(
      'column "item" is named but the file has no header',
    );
    await expect(collect(csvEvents(bad, { user: 0, item: 9 }, { header: false, ...skip }))).rejects.toThrow(
      'bad.csv:1: the mapping uses column 9 but rows have 5 fields',
    );
    expect(() => csvEvents(bad, { user: 'user', item: -1 })).toThrow(/^CSV event mapping: item: Too small/);
  });
});

describe('csvItems', () => {
  it('reads ids, titles, categories and typed attributes', async () => {
    const path = write(
      'items.csv',
      'sku;name;tags;price;zip;note\nA1;"Bête; noire";x | y||z;12.5;0042;\nB2;;;;;ok\n',
    );
    const mapping = { id: 'sku', title: 'name', categories: 'tags', attributes: ['price', 'zip', 'note'] };
    expect(await collect(csvItems(path, mapping, { delimiter: ';' }))).toEqual([
      {
        itemId: 'A1',
        title: 'Bête; noire',
        categories: ['x', 'y', 'z'],
        attributes: { price: 12.5, zip: '0042' },
      },
      { itemId: 'B2', categories: [], attributes: { note: 'ok' } },
    ]);
  });

  it('reads Latin-1 when asked', async () => {
    const path = write(
      'latin.csv',
      Buffer.concat([Buffer.from('id,title\n1,B'), Buffer.from([0xea]), Buffer.from('te\n')]),
    );
    const got = await collect(csvItems(path, { id: 'id', title: 'title' }, { encoding: 'latin1' }));
    expect(got).toEqual([{ itemId: '1', title: 'Bête' }]);
  });
});
