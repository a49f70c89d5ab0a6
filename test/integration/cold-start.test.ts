/**
 * The cold-start protocol end to end with the real text encoder: items held out of training can be
 * recommended from their text by the text-aware model and the text-only baseline, never by the
 * ID-only model.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { leaveOneOut } from '../../src/data/split.js';
import { pickColdItems } from '../../src/eval/cold-items.js';
import { type EvalReport, evaluateModel } from '../../src/eval/evaluate.js';
import { initBackend } from '../../src/nn/backend.js';
import { createTextEncoder } from '../../src/text/encoder.js';
import { itemText } from '../../src/text/item-text.js';
import { createModel } from '../../src/training/registry.js';
import { worldDataset } from '../fixtures/world.js';

const reports = new Map<string, EvalReport>();

beforeAll(async () => {
  await initBackend();
  const data = await worldDataset();
  const encoder = await createTextEncoder({ provider: 'use-lite' });
  const texts = data.itemIds.ids().map((id) => itemText(data.catalog.get(id)!));
  const vectors = await encoder.embed(texts);
  const itemTextVectors = { dim: encoder.dim, vectors: new Float32Array(vectors.length * encoder.dim) };
  for (const [i, v] of vectors.entries()) itemTextVectors.vectors.set(v, i * encoder.dim);
  const coldItems = pickColdItems(data.nItems, 0.15, 9);
  const small = { maxLength: 50, dim: 32, epochs: 10, batchSize: 64, learningRate: 0.005 };
  const models = { 'text-knn': {}, sasrec: small, 'sasrec-text': small };
  for (const [name, config] of Object.entries(models)) {
    const report = await evaluateModel(createModel(name, config), data, leaveOneOut(data), {
      itemText: itemTextVectors,
      coldItems,
    });
    reports.set(name, report);
    if (process.env.TIDE_DEBUG) console.log(name, JSON.stringify(report.metrics));
  }
}, 300_000);

describe('cold start on the generated world', () => {
  it('measures the cases whose target was held out of training', () => {
    for (const report of reports.values()) {
      expect(report.metrics['cold cases']).toBeGreaterThan(10);
      expect(report.split).toMatch(/items held out of training/);
    }
  });

  it('the ID-only model cannot recommend a held-out item', () => {
    expect(reports.get('sasrec')!.metrics['cold HR@10']).toBe(0);
  });

  it('text-only neighbours and the text-aware model recommend held-out items from their text', () => {
    const random = 10 / 160;
    for (const name of ['text-knn', 'sasrec-text']) {
      expect(reports.get(name)!.metrics['cold HR@10'], name).toBeGreaterThan(2 * random);
    }
  });
});
