import { existsSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { loadDataset } from '../../src/data/dataset.js';
import { openDataSource } from '../../src/data/ingest/index.js';
import { PreprocessConfig } from '../../src/data/preprocess.js';
import { leaveOneOut } from '../../src/data/split.js';
import { evaluateModel } from '../../src/eval/evaluate.js';
import { createModel } from '../../src/training/registry.js';

const ML1M = new URL('../../../shared/data/ml-1m', import.meta.url).pathname;

/**
 * The independent anchors in ../shared/anchors/RESULTS.md (numpy script, same protocol):
 * 6,040 users / 3,416 items / 999,611 events after the 5-core rule; MostPop NDCG@10 0.0193,
 * HR@10 0.0392; last-item transitions NDCG@10 0.1129, HR@10 0.1927.
 */
describe.runIf(existsSync(ML1M) || process.env.CI)('ML-1M against the independent anchors', () => {
  it('preprocesses to the published SASRec statistics and reproduces MostPop and Markov', async () => {
    const data = await loadDataset(await openDataSource(ML1M), { preprocess: PreprocessConfig.parse({}) });
    expect([data.nUsers, data.nItems, data.items.length]).toEqual([6040, 3416, 999_611]);
    const split = leaveOneOut(data);
    const pop = await evaluateModel(createModel('pop'), data, split);
    expect(pop.users).toBe(6040);
    expect(pop.metrics['NDCG@10']).toBeCloseTo(0.0193, 3);
    expect(pop.metrics['HR@10']).toBeCloseTo(0.0392, 3);
    const markov = await evaluateModel(createModel('markov'), data, split);
    expect(markov.metrics['NDCG@10']).toBeCloseTo(0.1129, 3);
    expect(markov.metrics['HR@10']).toBeCloseTo(0.1927, 3);
  });
});
