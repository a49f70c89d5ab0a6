import { describe, expect, it } from 'vitest';
import { leaveOneOut } from '../../src/data/split.js';
import { evaluateModel } from '../../src/eval/evaluate.js';
import type { Recommender } from '../../src/models/model.js';
import { worldDataset } from '../fixtures/world.js';

/**
 * What every Recommender must do, run against each family: score every item with finite numbers,
 * be reproducible, handle users it never saw, and rank the synthetic world's next items far above
 * chance.
 */
export function describeRecommenderContract(family: string, make: () => Recommender): void {
  describe(`${family} (recommender contract)`, () => {
    it('fills one finite score per item, the same after refitting', async () => {
      const data = await worldDataset();
      const split = leaveOneOut(data);
      const [first, second] = [make(), make()];
      await first.fit({ corpus: split.fitCorpus('test') });
      await second.fit({ corpus: split.fitCorpus('test') });
      const kase = split.cases('test')[3];
      const query = { user: kase.user, history: kase.history };
      const [a, b] = [new Float32Array(data.nItems).fill(Number.NaN), new Float32Array(data.nItems)];
      first.scoreAll(query, a);
      second.scoreAll(query, b);
      expect(a.every(Number.isFinite)).toBe(true);
      expect(Array.from(a)).toEqual(Array.from(b));
    });

    it('scores a user it never saw from their history alone', async () => {
      const data = await worldDataset();
      const model = make();
      await model.fit({ corpus: leaveOneOut(data).fitCorpus('test') });
      const scores = new Float32Array(data.nItems);
      model.scoreAll({ user: -1, history: Int32Array.from([0, 1, 2]) }, scores);
      expect(scores.every(Number.isFinite)).toBe(true);
      model.scoreAll({ user: -1, history: new Int32Array(0) }, scores);
      expect(scores.every(Number.isFinite)).toBe(true);
    });

    it('ranks the held-out next item far above chance', async () => {
      const data = await worldDataset();
      const report = await evaluateModel(make(), data, leaveOneOut(data));
      const chance = 10 / data.nItems;
      expect(report.metrics['HR@10']).toBeGreaterThan(2 * chance);
    });
  });
}
