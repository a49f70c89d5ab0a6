import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { tempFiles } from '../../../test/fixtures/files.js';
import { silentProgress } from '../../core/progress.js';
import { generateWorld, writeWorld } from '../../data/synthetic/index.js';
import { initBackend } from '../../nn/backend.js';
import { openStore } from '../../storage/open.js';
import { parseDuration } from '../flags.js';
import { importData } from '../import-data.js';
import { workerCommand } from './worker.js';

const { dir } = tempFiles('tide-worker-');

describe('tide worker', () => {
  it('trains from the store, registers each candidate with its figures, promotes one that is not worse', async () => {
    await initBackend();
    await writeWorld(generateWorld({ users: 300, items: 160, seed: 7 }), join(dir, 'world'));
    const url = `sqlite://${join(dir, 'tide.db')}`;
    const store = await openStore(url);
    await importData(store, join(dir, 'world'), undefined, silentProgress, () => undefined);
    await store.close();
    const args = ['--store', url, '--model', 'sasrec', '--once', '--models-dir', join(dir, 'models')];
    const small = ['--epochs', '2', '--model-config', '{"dim": 16, "maxLength": 20}'];

    await workerCommand([...args, ...small]);
    let registry = await openStore(url);
    const [first] = await registry.models.list();
    expect(first.active).toBe(true);
    expect(first.metrics['NDCG@10']).toBeGreaterThan(0);
    expect(first.metrics['serving NDCG@10']).toBeUndefined();
    await registry.close();

    // a second round: compared with the first on the same slice, both figures kept
    await workerCommand([...args, ...small, '--seed', '9']);
    registry = await openStore(url);
    const models = await registry.models.list();
    expect(models).toHaveLength(2);
    const second = models.find((m) => m.id !== first.id)!;
    expect(second.metrics['serving NDCG@10']).toBeCloseTo(first.metrics['NDCG@10'], 6);
    const promoted = second.metrics['NDCG@10'] >= second.metrics['serving NDCG@10'];
    const active = (await registry.models.active())!;
    expect(active.id).toBe(promoted ? second.id : first.id);
    await registry.close();

    // a deliberately broken candidate (it barely learns): registered with its figures, not promoted
    // (another width: nothing of the active model's weights fits it, so it starts from scratch)
    const broken = ['--epochs', '1', '--lr', '0.0000001', '--model-config', '{"dim": 8, "maxLength": 20}'];
    await workerCommand([...args, ...broken, '--seed', '11']);
    registry = await openStore(url);
    const third = (await registry.models.list()).find((m) => m.id !== first.id && m.id !== second.id)!;
    expect(third.metrics['NDCG@10']).toBeLessThan(third.metrics['serving NDCG@10']);
    expect((await registry.models.active())!.id).toBe(active.id);
    await registry.close();
  }, 240_000);

  it('reads 90s, 30m, 6h, 1d and refuses anything else', () => {
    expect(parseDuration('30m', '--every')).toBe(1_800_000);
    expect(parseDuration('6h', '--every')).toBe(21_600_000);
    expect(parseDuration('1d', '--every')).toBe(86_400_000);
    expect(parseDuration('90s', '--budget')).toBe(90_000);
    expect(() => parseDuration('6 hours', '--every')).toThrow(/--every must look like 90s, 30m, 6h or 1d/);
    expect(() => parseDuration('0m', '--budget')).toThrow(/--budget must look like/);
  });
});
