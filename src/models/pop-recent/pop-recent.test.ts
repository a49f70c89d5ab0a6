import { describe, expect, it } from 'vitest';
import { describeRecommenderContract } from '../../../test/contracts/recommender.js';
import { corpusFrom } from '../../../test/fixtures/corpus.js';
import type { SequenceCorpus } from '../../data/corpus.js';
import type { EvalCase } from '../../data/split.js';
import { RecentPopularityModel } from './pop-recent.js';

describeRecommenderContract('pop-recent', () => new RecentPopularityModel());

const DAY = 86_400_000;

/** One user per event: item `items[k]` at day `days[k]`. */
function timed(items: number[], days: number[], nItems: number): SequenceCorpus {
  return {
    ...corpusFrom(
      items.map((i) => [i]),
      nItems,
    ),
    timestamps: Float64Array.from(days, (d) => d * DAY),
  };
}

const caseOf = (target: number): EvalCase => ({
  user: 0,
  historyStart: 0,
  historyEnd: 0,
  history: new Int32Array(0),
  target,
  relevant: Int32Array.of(target),
  targetValue: Number.NaN,
});

describe('recent popularity', () => {
  // item 0: popular long ago; item 1: in the last few days
  const corpus = timed([0, 0, 0, 0, 1, 1], [0, 1, 2, 3, 98, 99], 3);

  it('counts only the events of the last `days` before the latest one', async () => {
    const model = new RecentPopularityModel({ days: 10 });
    await model.fit({ corpus });
    const scores = new Float32Array(3);
    model.scoreAll({ user: -1, history: new Int32Array(0) }, scores);
    expect(Array.from(scores)).toEqual([0, 2, 0]);
  });

  it('tunes the window on validation and reports it', async () => {
    const recentWins = new RecentPopularityModel();
    await recentWins.fit({
      corpus,
      validation: { corpus, cases: [caseOf(1), caseOf(1)], casesCorpus: corpus },
    });
    expect(recentWins.config.days).toBeLessThan(96);
    const allTimeWins = new RecentPopularityModel();
    await allTimeWins.fit({ corpus, validation: { corpus, cases: [caseOf(0)], casesCorpus: corpus } });
    expect(allTimeWins.config.days).toBeGreaterThanOrEqual(99);
  });

  it('falls back to all-time counts on data without times', async () => {
    const model = new RecentPopularityModel({ days: 1 });
    await model.fit({ corpus: corpusFrom([[0, 1, 1]], 2) });
    const scores = new Float32Array(2);
    model.scoreAll({ user: -1, history: new Int32Array(0) }, scores);
    expect(Array.from(scores)).toEqual([1, 2]);
    expect(model.config.days).toBe(0);
  });
});
