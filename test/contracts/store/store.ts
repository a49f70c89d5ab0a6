import { describe, expect, it } from 'vitest';
import { expectTideError, type MakeStore, useFreshStore, view } from './helpers.js';

export function describeStoreWideContract(makeStore: MakeStore): void {
  describe('store', () => {
    const store = useFreshStore(makeStore);

    it("deletes one user's events, states and snapshots, and nothing of anyone else", async () => {
      await store().events.append([view('gone', 'i1'), view('kept', 'i1'), view('gone', 'i2')]);
      const state = (userId: string, modelId: string) => ({
        userId,
        modelId,
        appliedSeq: 3,
        state: Uint8Array.of(1),
        updatedAt: 5,
      });
      await store().states.put([state('gone', 'm1'), state('gone', 'm2'), state('kept', 'm1')]);
      const snapshot = (userId: string, at: number) => ({ userId, at, seq: at, data: '{}' });
      await store().states.appendSnapshots([
        snapshot('gone', 1),
        snapshot('gone', 2),
        snapshot('gone', 3),
        snapshot('kept', 1),
      ]);

      expect(await store().deleteUser('gone')).toEqual({ events: 2, states: 2, snapshots: 3 });
      expect(await store().events.readUser('gone')).toEqual([]);
      expect(await store().states.get('gone', 'm1')).toBeUndefined();
      expect(await store().states.get('gone', 'm2')).toBeUndefined();
      expect(await store().states.snapshots('gone', 10)).toEqual([]);

      expect((await store().events.readUser('kept')).map((e) => e.seq)).toEqual([2]);
      expect(await store().states.get('kept', 'm1')).toBeDefined();
      expect(await store().states.snapshots('kept', 10)).toHaveLength(1);
      expect((await store().events.scan(0, 10)).map((e) => e.userId)).toEqual(['kept']);
      expect(await store().deleteUser('gone')).toEqual({ events: 0, states: 0, snapshots: 0 });
    });

    it('fails every call after close with an error saying so', async () => {
      const closed = store();
      await closed.close();
      await closed.close(); // closing twice is harmless
      const calls = [
        closed.events.append([view('u1', 'i1')]),
        closed.events.readUser('u1'),
        closed.events.lastSeq(),
        closed.items.get('i1'),
        closed.states.get('u1', 'm1'),
        closed.models.list(),
        closed.deleteUser('u1'),
      ];
      for (const call of calls) await expectTideError(call, 'STORAGE', /is closed/);
    });
  });
}
