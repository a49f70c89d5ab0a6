import { describe, expect, it } from 'vitest';
import { corpusFrom } from '../../../test/fixtures/corpus.js';
import { EVENT_TYPES, RATING_TYPE } from '../../core/types.js';
import { evaluateRatings } from '../../eval/rating.js';
import { BiasModel } from './bias.js';

const known = (user: number) => ({ user, history: new Int32Array(0) });

describe('bias baseline', () => {
  // user 0 rates high, user 1 low; item 0 is liked, item 1 disliked
  const corpus = corpusFrom([[0, 1], [0, 1], [0]], 3, [[5, 3], [3, 1], [4]]);

  it('predicts global mean + user bias + item bias (undamped: exact means)', async () => {
    const model = new BiasModel({ itemDamping: 0, userDamping: 0, rounds: 1 });
    await model.fit({ corpus });
    // mu = 16/5 = 3.2; b_item0 = mean(5,3,4) - mu = 0.8; b_item1 = mean(3,1) - mu = -1.2
    // b_user0 = mean(5-3.2-0.8, 3-3.2+1.2) = 1; b_user1 = mean(3-4, 1-2) = -1
    expect(model.predictRating(known(0), 0)).toBeCloseTo(5, 5);
    expect(model.predictRating(known(1), 1)).toBeCloseTo(1, 5);
    expect(model.predictRating(known(1), 0)).toBeCloseTo(3, 5);
  });

  it("folds in a user it never saw from the ratings of the query's history", async () => {
    const model = new BiasModel({ itemDamping: 0, userDamping: 0, rounds: 1 });
    await model.fit({ corpus });
    // as user 0: rated item 0 at 5 and item 1 at 3, so b_u = 1 and item 0 is predicted at 5
    const history = Int32Array.from([0, 1]);
    const types = new Uint8Array(2).fill(RATING_TYPE);
    expect(
      model.predictRating({ user: -1, history, types, values: Float32Array.from([5, 3]) }, 0),
    ).toBeCloseTo(5, 5);
    // no ratings in the history: no user bias
    expect(model.predictRating({ user: -1, history }, 0)).toBeCloseTo(4, 5);
  });

  it('clamps predictions to the rating range and shrinks rare items', async () => {
    const damped = new BiasModel({ itemDamping: 100, userDamping: 100 });
    await damped.fit({ corpus });
    expect(damped.predictRating(known(0), 2)).toBeCloseTo(3.2, 1);
    const model = new BiasModel({ itemDamping: 0, userDamping: 0, rounds: 1 });
    await model.fit({ corpus: corpusFrom([[0], [1]], 2, [[5], [1]]) });
    expect(model.predictRating(known(0), 0)).toBeLessThanOrEqual(5);
    expect(model.predictRating(known(1), 1)).toBeGreaterThanOrEqual(1);
  });

  it('counts only rating events: a purchase amount is not a rating', async () => {
    const corpus = corpusFrom([[0, 1], [0, 1], [0]], 3, [[5, 3], [3, 1], [4]]);
    const types = corpus.types.slice();
    types[1] = EVENT_TYPES.indexOf('purchase');
    const values = corpus.values!.slice();
    values[1] = 250; // user 0 paid 250 for item 1
    const model = new BiasModel({ itemDamping: 0, userDamping: 0, rounds: 1 });
    await model.fit({ corpus: { ...corpus, types, values } });
    // item 1 is rated once (1 by user 1): the purchase neither raises it nor the mean
    expect(model.predictRating(known(1), 1)).toBeLessThan(2);
    expect(model.predictRating(known(0), 0)).toBeLessThanOrEqual(5);
    // and a case whose target is the purchase is not scored as a rating
    const kase = {
      user: 0,
      historyStart: 0,
      historyEnd: 1,
      history: Int32Array.of(0),
      target: 1,
      relevant: Int32Array.of(1),
      targetValue: 250,
    };
    expect(evaluateRatings(model, [kase], { ...corpus, types, values })).toEqual({});
  });

  it('says clearly when the data has no ratings', async () => {
    await expect(new BiasModel().fit({ corpus: corpusFrom([[0]], 1) })).rejects.toThrow(
      /needs rating events with values/,
    );
  });
});
