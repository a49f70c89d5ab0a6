import { mkdtemp, readdir, readFile, rename, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadModel, MANIFEST_FILE, saveModel } from './saved-model.js';

const manifest = {
  family: 'sasrec',
  config: {},
  training: {},
  numItems: 1,
  itemIds: ['a'],
  dataFingerprint: { dataset: 'd', users: 1, items: 1, events: 1, sequencesHash: 'h' },
  metrics: {},
};
const weights = (value: number) =>
  new Map([['w', { shape: [3], data: Float32Array.of(value, value, value) }]]);

describe('a saved model directory', () => {
  it('is committed by its manifest: a crash before it leaves the old model whole, and a save replaces it', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'tide-saved-'));
    await saveModel(dir, manifest, weights(1));
    const [first] = (await readdir(dir)).filter((name) => name.endsWith('.bin'));
    expect(first).toMatch(/^weights-[0-9a-f]{16}\.bin$/);
    // a crash after the next weights were written, before the manifest was: a stray weights file
    await writeFile(join(dir, 'weights-0123456789abcdef.bin'), new Uint8Array(12));
    await writeFile(join(dir, `${MANIFEST_FILE}.tmp`), '{"half": ');
    expect(Array.from((await loadModel(dir)).weights.get('w')!.data)).toEqual([1, 1, 1]);

    await saveModel(dir, manifest, weights(2));
    const files = await readdir(dir);
    expect(files.filter((name) => name.endsWith('.bin'))).toHaveLength(1);
    expect(files).not.toContain(first);
    expect(Array.from((await loadModel(dir)).weights.get('w')!.data)).toEqual([2, 2, 2]);
  });

  it('still reads a model written as manifest.json + weights.bin, and says which file is missing', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'tide-saved-old-'));
    await saveModel(dir, manifest, weights(3));
    const [file] = (await readdir(dir)).filter((name) => name.endsWith('.bin'));
    const saved = JSON.parse(await readFile(join(dir, MANIFEST_FILE), 'utf8')) as Record<string, unknown>;
    delete saved.weightsFile;
    await writeFile(join(dir, MANIFEST_FILE), JSON.stringify(saved));
    await rename(join(dir, file), join(dir, 'weights.bin'));
    expect(Array.from((await loadModel(dir)).weights.get('w')!.data)).toEqual([3, 3, 3]);
    await writeFile(join(dir, MANIFEST_FILE), JSON.stringify({ ...saved, weightsFile: '../elsewhere.bin' }));
    await expect(loadModel(dir)).rejects.toThrow(/weightsFile "\.\.\/elsewhere\.bin" is not a weights file/);
  });
});
