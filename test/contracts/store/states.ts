import { describe, expect, it } from 'vitest';
import type { InterestSnapshot, UserStateRecord } from '../../../src/storage/ports.js';
import { expectTideError, type MakeStore, useFreshStore } from './helpers.js';

function stateOf(userId: string, modelId: string, appliedSeq: number, bytes: number[]): UserStateRecord {
  return {
    userId,
    modelId,
    appliedSeq,
    state: Uint8Array.from(bytes),
    updatedAt: 1_700_000_000_000 + appliedSeq,
  };
}

function snapshotOf(userId: string, at: number, seq: number): InterestSnapshot {
  return { userId, at, seq, data: JSON.stringify({ seq }) };
}

export function describeStateStoreContract(makeStore: MakeStore): void {
  describe('state store', () => {
    const store = useFreshStore(makeStore);

    it('puts and gets states per user and model, the last put winning', async () => {
      await store().states.put([stateOf('u1', 'm1', 3, [1, 2, 3]), stateOf('u1', 'm2', 4, [])]);
      expect(await store().states.get('u1', 'm1')).toStrictEqual(stateOf('u1', 'm1', 3, [1, 2, 3]));
      expect(await store().states.get('u1', 'm2')).toStrictEqual(stateOf('u1', 'm2', 4, []));
      await store().states.put([stateOf('u1', 'm1', 9, [255, 0])]);
      expect(await store().states.get('u1', 'm1')).toStrictEqual(stateOf('u1', 'm1', 9, [255, 0]));
      expect(await store().states.get('u2', 'm1')).toBeUndefined();
    });

    it('never replaces a state with one that has folded in fewer events (a stale copy from another server)', async () => {
      await store().states.put([stateOf('u1', 'm1', 9, [9])]);
      await store().states.put([stateOf('u1', 'm1', 5, [5]), stateOf('u2', 'm1', 5, [5])]);
      expect(await store().states.get('u1', 'm1')).toStrictEqual(stateOf('u1', 'm1', 9, [9]));
      expect(await store().states.get('u2', 'm1')).toStrictEqual(stateOf('u2', 'm1', 5, [5]));
      // as many events folded in: the later write wins (the state may differ by model swap or time)
      await store().states.put([stateOf('u1', 'm1', 9, [8])]);
      expect(Array.from((await store().states.get('u1', 'm1'))!.state)).toEqual([8]);
    });

    it('keeps its own copy of the state bytes', async () => {
      const record = stateOf('u1', 'm1', 1, [7, 7]);
      await store().states.put([record]);
      record.state[0] = 0;
      (await store().states.get('u1', 'm1'))!.state[1] = 0;
      expect(Array.from((await store().states.get('u1', 'm1'))!.state)).toEqual([7, 7]);
    });

    it('clears one model, or every model', async () => {
      await store().states.put([
        stateOf('u1', 'm1', 1, [1]),
        stateOf('u2', 'm1', 1, [2]),
        stateOf('u1', 'm2', 1, [3]),
      ]);
      await store().states.clear('m1');
      expect(await store().states.get('u1', 'm1')).toBeUndefined();
      expect(await store().states.get('u2', 'm1')).toBeUndefined();
      expect(await store().states.get('u1', 'm2')).toBeDefined();
      await store().states.clear();
      expect(await store().states.get('u1', 'm2')).toBeUndefined();
    });

    it('rejects a bad state record and stores none of the batch', async () => {
      const batch = [stateOf('u1', 'm1', 1, [1]), { ...stateOf('u2', 'm1', 1, [1]), appliedSeq: -1 }];
      await expectTideError(store().states.put(batch), 'INVALID_INPUT', /^states\[1\]\.appliedSeq: -1/);
      expect(await store().states.get('u1', 'm1')).toBeUndefined();
    });

    it("returns a user's last snapshots in time order", async () => {
      // Appended out of time order: the read order follows `at`, not arrival.
      await store().states.appendSnapshots([
        snapshotOf('u1', 300, 3),
        snapshotOf('u1', 100, 1),
        snapshotOf('u2', 150, 2),
      ]);
      await store().states.appendSnapshots([snapshotOf('u1', 200, 2), snapshotOf('u1', 400, 5)]);
      const ats = async (limit: number) => (await store().states.snapshots('u1', limit)).map((s) => s.at);
      expect(await ats(10)).toEqual([100, 200, 300, 400]);
      expect(await ats(2)).toEqual([300, 400]);
      expect(await ats(0)).toEqual([]);
      expect(await store().states.snapshots('u2', 5)).toStrictEqual([snapshotOf('u2', 150, 2)]);
      expect(await store().states.snapshots('nobody', 5)).toEqual([]);
    });

    it('orders snapshots with the same time by seq, then arrival', async () => {
      const [a, b, c] = [
        snapshotOf('u1', 100, 8),
        snapshotOf('u1', 100, 7),
        { ...snapshotOf('u1', 100, 8), data: 'later' },
      ];
      await store().states.appendSnapshots([a, b]);
      await store().states.appendSnapshots([c]);
      expect(await store().states.snapshots('u1', 3)).toStrictEqual([b, a, c]);
    });
  });
}
