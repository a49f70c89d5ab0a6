import { describe, expect, it } from 'vitest';
import type { ModelRecord } from '../../../src/storage/ports.js';
import { expectTideError, type MakeStore, useFreshStore } from './helpers.js';

function modelOf(id: string, createdAt: number): Omit<ModelRecord, 'active'> {
  return {
    id,
    dir: `/models/${id}`,
    family: 'sasrec',
    createdAt,
    metrics: { 'NDCG@10': 0.25, 'Recall@10': 0.5 },
  };
}

export function describeModelRegistryContract(makeStore: MakeStore): void {
  describe('model registry', () => {
    const store = useFreshStore(makeStore);

    it('lists registered models by creation time, none active at first', async () => {
      await store().models.register(modelOf('b', 2));
      await store().models.register(modelOf('a', 1));
      expect(await store().models.list()).toStrictEqual([
        { ...modelOf('a', 1), active: false },
        { ...modelOf('b', 2), active: false },
      ]);
      expect(await store().models.active()).toBeUndefined();
    });

    it('keeps exactly one model active', async () => {
      for (const [id, at] of [
        ['a', 1],
        ['b', 2],
        ['c', 3],
      ] as const)
        await store().models.register(modelOf(id, at));
      await store().models.activate('a');
      await store().models.activate('c');
      expect((await store().models.active())?.id).toBe('c');
      expect((await store().models.list()).map((m) => m.active)).toEqual([false, false, true]);
      await store().models.activate('c');
      expect((await store().models.list()).filter((m) => m.active)).toHaveLength(1);
    });

    it('refuses to activate an unknown model and leaves the active one serving', async () => {
      await store().models.register(modelOf('a', 1));
      await store().models.activate('a');
      await expectTideError(
        store().models.activate('zz'),
        'NOT_FOUND',
        'model "zz" is not registered (known: a)',
      );
      expect((await store().models.active())?.id).toBe('a');
    });

    it('updates a re-registered model and keeps it active', async () => {
      await store().models.register(modelOf('a', 1));
      await store().models.activate('a');
      await store().models.register({ ...modelOf('a', 1), metrics: { 'NDCG@10': 0.3 } });
      expect(await store().models.active()).toStrictEqual({
        ...modelOf('a', 1),
        metrics: { 'NDCG@10': 0.3 },
        active: true,
      });
    });

    it('rejects a model with a metric that is not a finite number', async () => {
      const record = { ...modelOf('a', 1), metrics: { 'NDCG@10': Number.NaN } };
      await expectTideError(store().models.register(record), 'INVALID_INPUT', 'model.metrics.NDCG@10: NaN');
      expect(await store().models.list()).toEqual([]);
    });
  });
}
