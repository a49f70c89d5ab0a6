import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { tempFiles } from '../../../test/fixtures/files.js';
import { TideError } from '../../core/errors.js';
import { isGzipFile, type Line, type ReadLinesOptions, readLines } from './lines.js';

const { dir, write } = tempFiles('tide-lines-');

async function batches(path: string, opts?: ReadLinesOptions): Promise<Line[][]> {
  const out: Line[][] = [];
  for await (const batch of readLines(path, opts)) out.push(batch);
  return out;
}

async function lines(path: string, opts?: ReadLinesOptions): Promise<Line[]> {
  return (await batches(path, opts)).flat();
}

describe('readLines', () => {
  it('numbers lines from 1, skips blank ones but counts them, keeps a last line without newline', async () => {
    const path = write('plain.txt', 'a\n\nb\n   \nc');
    expect(await lines(path)).toEqual([
      { text: 'a', line: 1 },
      { text: 'b', line: 3 },
      { text: 'c', line: 5 },
    ]);
  });

  it('strips CRLF line endings, including on a CRLF split across chunks', async () => {
    const path = write('crlf.txt', 'one,1\r\ntwo,2\r\n\r\nthree,3\r\n');
    const expected = [
      { text: 'one,1', line: 1 },
      { text: 'two,2', line: 2 },
      { text: 'three,3', line: 4 },
    ];
    expect(await lines(path)).toEqual(expected);
    expect(await lines(path, { highWaterMark: 1 })).toEqual(expected);
  });

  it('reads gzip (detected by magic bytes, not the name) exactly like the plain file', async () => {
    const text = Array.from({ length: 5000 }, (_, i) => `${i} ${i * 7} é`).join('\n');
    const plain = write('big.txt', text);
    const gz = write('big.dat', gzipSync(Buffer.from(text)));
    expect(await isGzipFile(gz)).toBe(true);
    expect(await isGzipFile(plain)).toBe(false);
    const fromPlain = await lines(plain, { highWaterMark: 4096 });
    const fromGzip = await lines(gz, { highWaterMark: 4096 });
    expect(fromGzip).toEqual(fromPlain);
    expect(fromPlain).toHaveLength(5000);
    expect(fromPlain[4999]).toEqual({ text: '4999 34993 é', line: 5000 });
  });

  it('yields one batch per chunk rather than the whole file', async () => {
    const path = write('many.txt', 'x\n'.repeat(1000));
    const got = await batches(path, { highWaterMark: 100 });
    expect(got.length).toBeGreaterThan(10);
    expect(got.flat()).toHaveLength(1000);
  });

  it('decodes a UTF-8 character split across a chunk boundary', async () => {
    // 'ab€' is 61 62 e2 82 ac: with 4-byte chunks the euro sign is cut after its first byte.
    const path = write('split.txt', 'ab€\nß🎬z\n');
    for (const highWaterMark of [1, 2, 3, 4, 5]) {
      expect(await lines(path, { highWaterMark })).toEqual([
        { text: 'ab€', line: 1 },
        { text: 'ß🎬z', line: 2 },
      ]);
    }
    const gz = write('split.gz', gzipSync(Buffer.from('ab€\nß🎬z\n')));
    expect((await lines(gz, { highWaterMark: 1 })).map((l) => l.text)).toEqual(['ab€', 'ß🎬z']);
  });

  it('drops a UTF-8 byte-order mark', async () => {
    const path = write('bom.csv', Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from('id\n1\n')]));
    expect((await lines(path)).map((l) => l.text)).toEqual(['id', '1']);
  });

  it('reads Latin-1 byte for byte', async () => {
    const path = write('latin1.dat', Buffer.from([0x42, 0xea, 0x74, 0x65, 0x0a, 0xe9]));
    expect((await lines(path, { encoding: 'latin1' })).map((l) => l.text)).toEqual(['Bête', 'é']);
    expect((await lines(path)).map((l) => l.text)).toEqual(['B\ufffdte', '\ufffd']);
  });

  it('can be abandoned early and read again', async () => {
    const path = write('again.txt', 'a\nb\nc\n'.repeat(100));
    for await (const batch of readLines(path, { highWaterMark: 8 })) {
      expect(batch[0].text).toBe('a');
      break;
    }
    expect(await lines(path)).toHaveLength(300);
  });

  it('reports a missing file and corrupt gzip as INVALID_INPUT', async () => {
    const missing = join(dir, 'nope.txt');
    await expect(lines(missing)).rejects.toThrow(TideError);
    await expect(lines(missing)).rejects.toThrow(`cannot open ${missing}`);
    const bad = write('bad.gz', Buffer.from([0x1f, 0x8b, 0x08, 0x00, 1, 2, 3, 4, 5, 6, 7, 8]));
    await expect(lines(bad)).rejects.toMatchObject({ code: 'INVALID_INPUT', location: { file: 'bad.gz' } });
  });
});
