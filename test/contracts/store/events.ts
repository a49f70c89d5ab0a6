import { describe, expect, it } from 'vitest';
import type { Event } from '../../../src/core/types.js';
import type { LoggedEvent } from '../../../src/storage/ports.js';
import { expectTideError, type MakeStore, useFreshStore, view } from './helpers.js';

export function describeEventLogContract(makeStore: MakeStore): void {
  describe('event log', () => {
    const store = useFreshStore(makeStore);

    it('numbers events 1, 2, 3... across batches and reads back exactly what was sent', async () => {
      const sent: Event[] = [
        { userId: 'u1', itemId: 'i1', type: 'rating', value: 0, timestamp: 10, context: {} },
        { userId: 'u1', itemId: 'i2', type: 'click', timestamp: 11 },
        {
          userId: 'u1',
          itemId: 'i3',
          type: 'purchase',
          value: 9.5,
          timestamp: 12.5,
          context: { device: 'tv', hour: 21, vip: true },
        },
      ];
      const first = await store().events.append(sent.slice(0, 2));
      const second = await store().events.append(sent.slice(2));
      expect(first).toEqual({ firstSeq: 1, lastSeq: 2, count: 2, replayed: false });
      expect(second).toEqual({ firstSeq: 3, lastSeq: 3, count: 1, replayed: false });
      // toStrictEqual: value 0 is not a missing value, {} is not a missing context, and no `undefined` keys.
      expect(await store().events.readUser('u1')).toStrictEqual(sent.map((e, i) => ({ ...e, seq: i + 1 })));
    });

    it('stamps events sent without a time with the receive time', async () => {
      const before = Date.now();
      await store().events.append([{ userId: 'u1', itemId: 'i1', type: 'view' }]);
      const [logged] = await store().events.readUser('u1');
      expect(logged.timestamp).toBeGreaterThanOrEqual(before);
      expect(logged.timestamp).toBeLessThanOrEqual(Date.now());
    });

    it('reads -0 back as 0, as SQLite stores it', async () => {
      await store().events.append([{ ...view('u1', 'i1'), value: -0 }]);
      expect(Object.is((await store().events.readUser('u1'))[0].value, 0)).toBe(true);
    });

    it('does not let the caller change the log through what it sent or read', async () => {
      const event: Event = { ...view('u1', 'i1'), context: { device: 'tv' } };
      await store().events.append([event]);
      event.context!.device = 'phone';
      const [read] = await store().events.readUser('u1');
      read.context!.device = 'watch';
      expect((await store().events.readUser('u1'))[0].context).toEqual({ device: 'tv' });
    });

    it('appends nothing for an empty batch', async () => {
      expect(await store().events.append([])).toEqual({ firstSeq: 0, lastSeq: 0, count: 0, replayed: false });
      expect(await store().events.lastSeq()).toBe(0);
    });

    it.each([
      [{ type: 'clik' }, 'events[2].type: "clik" is not one of view, click, cart, purchase, rating, custom'],
      [{ userId: '' }, 'events[2].userId: "" is not a non-empty string'],
      [{ itemId: 7 }, 'events[2].itemId: 7 is not a non-empty string'],
      [{ userId: 'u\u0000' }, 'events[2].userId: "u\\u0000" contains the control character U+0000'],
      [{ itemId: 'i\ud800' }, 'events[2].itemId: "i\\ud800" contains an unpaired UTF-16 surrogate'],
      [{ value: Number.NaN }, 'events[2].value: NaN is not a finite number'],
      [{ timestamp: Number.POSITIVE_INFINITY }, 'events[2].timestamp: Infinity is not a finite number'],
      [{ context: { nested: {} } }, 'events[2].context.nested: {} is not a string, finite number or boolean'],
    ])('rejects a whole batch with a bad event (%j) and stores nothing', async (fault, message) => {
      const batch = [view('u1', 'i1'), view('u1', 'i2'), { ...view('u1', 'i3'), ...fault } as Event];
      await expectTideError(store().events.append(batch), 'INVALID_INPUT', message);
      expect(await store().events.count()).toBe(0);
      expect(await store().events.lastSeq()).toBe(0);
      expect((await store().events.append([view('u1', 'i1')])).firstSeq).toBe(1);
    });

    it('replays an idempotency key: the first result comes back and nothing is appended', async () => {
      const first = await store().events.append([view('u1', 'a'), view('u1', 'b')], { idempotencyKey: 'k1' });
      const retry = await store().events.append([view('u1', 'c')], { idempotencyKey: 'k1' });
      expect(retry).toEqual({ ...first, replayed: true });
      expect((await store().events.readUser('u1')).map((e) => e.itemId)).toEqual(['a', 'b']);
      const other = await store().events.append([view('u1', 'c')], { idempotencyKey: 'k2' });
      expect(other).toEqual({ firstSeq: 3, lastSeq: 3, count: 1, replayed: false });
    });

    it('tells the answer recorded for an idempotency key, without appending anything', async () => {
      const first = await store().events.append([view('u1', 'a'), view('u1', 'b')], { idempotencyKey: 'k1' });
      await store().events.append([], { idempotencyKey: 'marker' });
      expect(await store().events.replyOf('k1')).toEqual({ ...first, replayed: true });
      expect(await store().events.replyOf('marker')).toEqual({
        firstSeq: 0,
        lastSeq: 0,
        count: 0,
        replayed: true,
      });
      expect(await store().events.replyOf('never-sent')).toBeUndefined();
      expect(await store().events.count()).toBe(2);
      await expectTideError(store().events.replyOf(''), 'INVALID_INPUT', /idempotency/i);
    });

    it('reads one user: after a seq, and only the last `limit` in log order', async () => {
      for (let i = 1; i <= 10; i++) await store().events.append([view(i % 2 ? 'odd' : 'even', `i${i}`)]);
      const seqsOf = (events: LoggedEvent[]) => events.map((e) => e.seq);
      expect(seqsOf(await store().events.readUser('odd'))).toEqual([1, 3, 5, 7, 9]);
      expect(seqsOf(await store().events.readUser('odd', { afterSeq: 5 }))).toEqual([7, 9]);
      expect(seqsOf(await store().events.readUser('odd', { limit: 2 }))).toEqual([7, 9]);
      expect(seqsOf(await store().events.readUser('odd', { afterSeq: 2, limit: 3 }))).toEqual([5, 7, 9]);
      expect(seqsOf(await store().events.readUser('odd', { afterSeq: 6, limit: 5 }))).toEqual([7, 9]);
      expect(await store().events.readUser('odd', { limit: 0 })).toEqual([]);
      expect(await store().events.readUser('nobody')).toEqual([]);
      await expectTideError(store().events.readUser('odd', { limit: -1 }), 'INVALID_INPUT', /^limit: -1/);
    });

    it('scans the whole log in pages, in order, without gaps or repeats', async () => {
      for (let start = 0; start < 250; start += 25) {
        const batch = Array.from({ length: 25 }, (_, i) => view(`u${(start + i) % 7}`, `i${start + i}`));
        await store().events.append(batch);
      }
      const seen: LoggedEvent[] = [];
      const pageSizes: number[] = [];
      for (let after = 0; ; ) {
        const page = await store().events.scan(after, 100);
        if (page.length === 0) break;
        pageSizes.push(page.length);
        seen.push(...page);
        after = page[page.length - 1].seq;
      }
      expect(pageSizes).toEqual([100, 100, 50]);
      expect(seen.map((e) => e.seq)).toEqual(Array.from({ length: 250 }, (_, i) => i + 1));
      expect(seen.map((e) => e.itemId)).toEqual(Array.from({ length: 250 }, (_, i) => `i${i}`));
    });

    it('counts events and keeps lastSeq when the newest ones are deleted', async () => {
      expect([await store().events.lastSeq(), await store().events.count()]).toEqual([0, 0]);
      await store().events.append([view('a', 'i1'), view('b', 'i2'), view('b', 'i3')]);
      expect([await store().events.lastSeq(), await store().events.count()]).toEqual([3, 3]);
      await store().deleteUser('b');
      expect([await store().events.lastSeq(), await store().events.count()]).toEqual([3, 1]);
      // Seqs are never reused: a consumer that applied up to 3 must not skip the next event.
      expect((await store().events.append([view('a', 'i4')])).firstSeq).toBe(4);
    });
  });
}
