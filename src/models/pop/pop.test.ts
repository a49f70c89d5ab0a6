import { describe, expect, it } from 'vitest';
import { describeRecommenderContract } from '../../../test/contracts/recommender.js';
import { corpusFrom } from '../../../test/fixtures/corpus.js';
import { PopularityModel } from './pop.js';

describeRecommenderContract('pop', () => new PopularityModel());

describe('MostPop', () => {
  it('scores items by their number of training events', async () => {
    const model = new PopularityModel();
    await model.fit({ corpus: corpusFrom([[0, 1, 1], [1, 2], [1]], 4) });
    const scores = new Float32Array(4);
    model.scoreAll({ user: 0, history: new Int32Array(0) }, scores);
    expect(Array.from(scores)).toEqual([1, 4, 1, 0]);
  });
});
