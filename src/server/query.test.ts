import { describe, expect, it } from 'vitest';
import { KeyRing, parseApiKeys } from './auth.js';
import type { ApiError } from './errors.js';
import { recommendationQuery } from './query.js';

describe('recommendation query syntax', () => {
  const query = recommendationQuery(100);

  it('types context values and parses every filter term', () => {
    expect(
      query.parse({
        k: '7',
        context: 'hour:21,device:mobile,weekend:true,ratio:-0.5,code:007x',
        filter:
          'category:Drama,category:War,-category:Horror,attr.colour:red,attr.year:1999,include:a|b,exclude:c',
        diversity: '0.25',
        exclude_seen: 'view,click',
        explain: 'false',
      }),
    ).toEqual({
      k: 7,
      context: { hour: 21, device: 'mobile', weekend: true, ratio: -0.5, code: '007x' },
      filter: {
        categories: ['Drama', 'War'],
        excludeCategories: ['Horror'],
        attributes: { colour: 'red', year: 1999 },
        include: ['a', 'b'],
        exclude: ['c'],
      },
      diversity: 0.25,
      exclude_seen: ['view', 'click'],
      explain: 'false',
    });
  });

  it('reads a JSON filter, for ids the compact syntax cannot hold', () => {
    expect(query.parse({ filter: '{"exclude":["a,b:c|d"]}' }).filter).toEqual({ exclude: ['a,b:c|d'] });
  });

  it('maps exclude_seen true/false to every type / none', () => {
    expect(query.parse({ exclude_seen: 'true' }).exclude_seen).toHaveLength(6);
    expect(query.parse({ exclude_seen: 'false' }).exclude_seen).toEqual([]);
  });

  it.each([
    [{ k: '101' }],
    [{ k: '1.5' }],
    [{ diversity: '1.5' }],
    [{ filter: 'include:' }],
    [{ filter: 'attr.__proto__:x' }],
    [{ filter: '{"__proto__":{"x":1}}' }],
    [{ context: '__proto__:1' }],
  ])('rejects %j', (input) => {
    expect(query.safeParse(input).success).toBe(false);
  });
});

describe('API keys', () => {
  it('parses TIDE_API_KEYS and names a bad entry', () => {
    expect(parseApiKeys(' k1:read,write ; k2:admin;')).toEqual([
      { key: 'k1', scopes: ['read', 'write'] },
      { key: 'k2', scopes: ['admin'] },
    ]);
    expect(() => parseApiKeys('k1:read;k2:root')).toThrow(/entry 2 .* got "root"/);
    expect(() => parseApiKeys('no-scope')).toThrow(/entry 1/);
  });

  it('authorises by scope, admin holding every scope', () => {
    const keys = new KeyRing(parseApiKeys('r:read;a:admin'));
    const headers = (key: string) => new Headers({ 'x-api-key': key });
    expect(() => keys.authorize(headers('r'), 'read')).not.toThrow();
    expect(() => keys.authorize(headers('a'), 'write')).not.toThrow();
    const status = (key: string, scope: 'read' | 'write') => {
      try {
        keys.authorize(headers(key), scope);
        return 200;
      } catch (error) {
        return (error as ApiError).status;
      }
    };
    expect(status('r', 'write')).toBe(403);
    expect(status('x', 'read')).toBe(401);
    expect(new KeyRing().open).toBe(true);
  });
});
