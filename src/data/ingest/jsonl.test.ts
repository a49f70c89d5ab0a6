import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { tempFiles } from '../../../test/fixtures/files.js';
import type { TideError } from '../../core/errors.js';
import { jsonlEvents, jsonlItems } from './jsonl.js';
import { collect } from './rows.js';

const { write } = tempFiles('tide-jsonl-');

const good = [
  '{"userId":"u1","itemId":42,"type":"click","timestamp":1700000000,"context":{"device":"tv","hour":21,"ad":true,"x":null}}',
  '',
  '{"userId":7,"itemId":"i9","value":4,"type":"rating","timestamp":"2023-11-14T22:13:20.000Z"}',
  '{"userId":"u1","itemId":"i3"}',
].join('\n');

describe('jsonlEvents', () => {
  it('reads the default fields, numbers as ids, both timestamp forms', async () => {
    expect(await collect(jsonlEvents(write('events.jsonl', good)))).toEqual([
      {
        userId: 'u1',
        itemId: '42',
        type: 'click',
        timestamp: 1.7e12,
        context: { device: 'tv', hour: 21, ad: true },
      },
      { userId: '7', itemId: 'i9', type: 'rating', value: 4, timestamp: 1.7e12 },
      { userId: 'u1', itemId: 'i3', type: 'view' },
    ]);
  });

  it('reads gzip like plain and follows a custom mapping', async () => {
    const gz = write('events.jsonl.gz', gzipSync(Buffer.from(good)));
    expect(await collect(jsonlEvents(gz))).toEqual(await collect(jsonlEvents(write('e2.jsonl', good))));
    const custom = write('custom.jsonl', '{"who":"a","what":"b","when":1700000000000,"stars":3}\n');
    const mapping = {
      user: 'who',
      item: 'what',
      timestamp: 'when',
      value: 'stars',
      fixedType: 'rating' as const,
    };
    expect(await collect(jsonlEvents(custom, mapping))).toEqual([
      { userId: 'a', itemId: 'b', type: 'rating', value: 3, timestamp: 1.7e12 },
    ]);
  });

  const bad = write(
    'bad.jsonl',
    [
      '{"userId":"u","itemId":"i"}',
      '{"userId":"u","itemId":"i"', // 2: truncated
      '[1,2]', // 3: not an object
      '{"itemId":"i"}', // 4: no user
      '{"userId":"u","itemId":"i","type":"like"}', // 5: unknown type
      '{"userId":"u","itemId":"i","value":"high"}', // 6: value not a number
      '{"userId":"u","itemId":"i","timestamp":"soon"}', // 7: bad date
      '{"userId":"u","itemId":"i","context":{"a":[1]}}', // 8: nested context
      '{"userId":{"id":1},"itemId":"i"}', // 9: object id
      '{"userId":"u\\u0001","itemId":"i"}', // 10: control character in an id
      '{"userId":"u","itemId":"i","timestamp":1e300}', // 11: far future
      '{"userId":"u","itemId":"i2"}',
    ].join('\n'),
  );

  it('throws on invalid JSON naming file:line', async () => {
    await expect(collect(jsonlEvents(bad))).rejects.toThrow(/^bad\.jsonl:2: invalid JSON \(/);
  });

  it('reports and skips each bad row with onInvalid', async () => {
    const errors: TideError[] = [];
    const got = await collect(jsonlEvents(bad, {}, { onInvalid: (e) => errors.push(e) }));
    expect(got.map((e) => e.itemId)).toEqual(['i', 'i2']);
    expect(errors.map((e) => e.message.replace(/invalid JSON \(.*\)/, 'invalid JSON (...)'))).toEqual([
      'bad.jsonl:2: invalid JSON (...)',
      'bad.jsonl:3: is not a JSON object',
      'bad.jsonl:4: userId is missing',
      'bad.jsonl:5: type "like" is not one of view, click, cart, purchase, rating, custom',
      'bad.jsonl:6: value "high" is not a number',
      'bad.jsonl:7: timestamp "soon" is not a date',
      'bad.jsonl:8: context.a is not a string, number or boolean',
      'bad.jsonl:9: userId {"id":1} is not a string or number id',
      'bad.jsonl:10: userId "u\\u0001" contains the control character U+0001',
      'bad.jsonl:11: timestamp 1e+300 is more than 24 h ahead of now',
    ]);
  });
});

describe('jsonlItems', () => {
  it('reads items with array or separated categories and attributes', async () => {
    const path = write(
      'items.jsonl',
      [
        '{"itemId":1,"title":"Heat","text":"A heist.","categories":["Crime","Drama"],"attributes":{"year":1995}}',
        '{"itemId":"b","categories":"x|y"}',
        '{"itemId":"c","categories":[1]}',
      ].join('\n'),
    );
    const errors: string[] = [];
    const got = await collect(jsonlItems(path, {}, { onInvalid: (e) => errors.push(e.message) }));
    expect(got).toEqual([
      {
        itemId: '1',
        title: 'Heat',
        text: 'A heist.',
        categories: ['Crime', 'Drama'],
        attributes: { year: 1995 },
      },
      { itemId: 'b', categories: ['x', 'y'] },
    ]);
    expect(errors).toEqual(['items.jsonl:3: categories is not a string or an array of strings']);
  });
});
