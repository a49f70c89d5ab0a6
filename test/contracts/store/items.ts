import { describe, expect, it } from 'vitest';
import type { Item } from '../../../src/core/types.js';
import { expectTideError, type MakeStore, useFreshStore } from './helpers.js';

export function describeItemStoreContract(makeStore: MakeStore): void {
  describe('item store', () => {
    const store = useFreshStore(makeStore);

    it('puts, gets and replaces whole items', async () => {
      const full: Item = {
        itemId: 'i1',
        title: 'Tide',
        text: 'a long description',
        categories: ['books', 'sea'],
        attributes: { price: 9.5, pages: 300, used: false, lang: 'en' },
      };
      await store().items.put([full, { itemId: 'i2' }]);
      expect(await store().items.get('i1')).toStrictEqual(full);
      expect(await store().items.get('i2')).toStrictEqual({ itemId: 'i2' });
      await store().items.put([{ itemId: 'i1', title: 'Tide, 2nd ed.' }]);
      // Replaced, not merged: the old categories and attributes are gone.
      expect(await store().items.get('i1')).toStrictEqual({ itemId: 'i1', title: 'Tide, 2nd ed.' });
      expect(await store().items.get('missing')).toBeUndefined();
      expect(await store().items.count()).toBe(2);
    });

    it('pages through every item in code point order', async () => {
      const ids = Array.from({ length: 23 }, (_, i) => `item-${String(i).padStart(2, '0')}`);
      // Above U+FFFF, UTF-16 order (JS `<`) and code point order (SQLite) disagree: \u{1F600} > \uE000.
      const unusual = ['B', 'a', '\u00e9', '\uE000', '\u{1F600}'];
      await store().items.put([...ids, ...unusual].reverse().map((itemId) => ({ itemId })));
      const seen: string[] = [];
      for (let after: string | undefined; ; ) {
        const page = await store().items.list(after, 10);
        if (page.length === 0) break;
        expect(page.length).toBeLessThanOrEqual(10);
        seen.push(...page.map((item) => item.itemId));
        after = page[page.length - 1].itemId;
      }
      expect(seen).toEqual(['B', 'a', ...ids, '\u00e9', '\uE000', '\u{1F600}']);
      expect((await store().items.list('item-05', 2)).map((i) => i.itemId)).toEqual(['item-06', 'item-07']);
      // The cursor need not be a stored id.
      expect((await store().items.list('item-055', 1)).map((i) => i.itemId)).toEqual(['item-06']);
      expect(await store().items.count()).toBe(28);
    });

    it('rejects a batch with a bad item and stores none of it', async () => {
      const batch = [{ itemId: 'ok' }, { itemId: '' }] as Item[];
      await expectTideError(
        store().items.put(batch),
        'INVALID_INPUT',
        'items[1].itemId: "" is not a non-empty string',
      );
      const badAttribute = [{ itemId: 'x', attributes: { price: Number.NaN } }];
      await expectTideError(
        store().items.put(badAttribute),
        'INVALID_INPUT',
        /^items\[0\]\.attributes\.price: NaN/,
      );
      expect(await store().items.count()).toBe(0);
    });
  });
}
