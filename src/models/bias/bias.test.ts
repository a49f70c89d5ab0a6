import { describe, expect, it } from 'vitest';
import { corpusFrom } from '../../../test/fixtures/corpus.js';
import { BiasModel } from './bias.js';

describe('bias baseline', () => {
  // user 0 rates high, user 1 low; item 0 is liked, item 1 disliked
  const corpus = corpusFrom([[0, 1], [0, 1], [0]], 3, [[5, 3], [3, 1], [4]]);

  it('predicts global mean + user bias + item bias (undamped: exact means)', async () => {
    const model = new BiasModel({ itemDamping: 0, userDamping: 0, rounds: 1 });
    await model.fit({ corpus });
    // mu = 16/5 = 3.2; b_item0 = mean(5,3,4) - mu = 0.8; b_item1 = mean(3,1) - mu = -1.2
    // b_user0 = mean(5-3.2-0.8, 3-3.2+1.2) = 1; b_user1 = mean(3-4, 1-2) = -1
    expect(model.predictRating(0, 0)).toBeCloseTo(5, 5);
    expect(model.predictRating(1, 1)).toBeCloseTo(1, 5);
    expect(model.predictRating(1, 0)).toBeCloseTo(3, 5);
  });

  it('clamps predictions to the rating range and shrinks rare items', async () => {
    const damped = new BiasModel({ itemDamping: 100, userDamping: 100 });
    await damped.fit({ corpus });
    expect(damped.predictRating(0, 2)).toBeCloseTo(3.2, 1);
    const model = new BiasModel({ itemDamping: 0, userDamping: 0, rounds: 1 });
    await model.fit({ corpus: corpusFrom([[0], [1]], 2, [[5], [1]]) });
    expect(model.predictRating(0, 0)).toBeLessThanOrEqual(5);
    expect(model.predictRating(1, 1)).toBeGreaterThanOrEqual(1);
  });

  it('says clearly when the data has no ratings', async () => {
    await expect(new BiasModel().fit({ corpus: corpusFrom([[0]], 1) })).rejects.toThrow(
      /needs rating values/,
    );
  });
});
