import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tempFiles } from '../../test/fixtures/files.js';
import { type ServedApp, servedApp } from '../../test/fixtures/server-app.js';
import { silentProgress } from '../core/progress.js';
import { type BatchLine, recommendAll } from './batch-recommend.js';

const { dir } = tempFiles('tide-batch-');
let served: ServedApp;

beforeAll(async () => {
  served = await servedApp({ histories: 5 });
}, 180_000);

afterAll(async () => {
  await served?.close();
});

describe('recommendAll', () => {
  it('writes one line per user, in order, holding what the engine answers', async () => {
    const users = ['user-3', 'user-0', 'never-seen'];
    const out = join(dir, 'recs.jsonl');
    expect(await recommendAll(served.engine, users, out, { k: 7, reasons: false }, silentProgress)).toBe(3);
    const lines = (await readFile(out, 'utf8'))
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as BatchLine);
    expect(lines.map((line) => line.userId)).toEqual(users);
    for (const line of lines) {
      const answer = await served.engine.recommend(line.userId, { k: 7 });
      expect(line.items).toEqual(answer.items.map(({ itemId, title, score }) => ({ itemId, title, score })));
      expect(line.modelId).toBe(answer.modelId);
    }
    const withReasons = join(dir, 'reasons.jsonl');
    await recommendAll(served.engine, ['user-3'], withReasons, { k: 2, reasons: true }, silentProgress);
    const [line] = (await readFile(withReasons, 'utf8'))
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as BatchLine);
    expect(line.items[0].reasons?.length).toBeGreaterThan(0);
  });
});
