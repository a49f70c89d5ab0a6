import { mkdtemp, readdir, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { replaceFile } from './durable-file.js';

describe('replaceFile', () => {
  it('writes a file whole, replaces it whole, and leaves no temporary file behind', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'tide-durable-'));
    const path = join(dir, 'state.json');
    await replaceFile(path, '{"epoch": 1}');
    await replaceFile(path, '{"epoch": 2}');
    expect(await readFile(path, 'utf8')).toBe('{"epoch": 2}');
    await replaceFile(join(dir, 'w.bin'), Uint8Array.of(1, 2, 3));
    expect([...(await readFile(join(dir, 'w.bin')))]).toEqual([1, 2, 3]);
    expect((await readdir(dir)).sort()).toEqual(['state.json', 'w.bin']);
  });
});
