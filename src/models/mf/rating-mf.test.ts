import { describe, expect, it } from 'vitest';
import { ratedWorldDataset } from '../../../test/fixtures/world.js';
import { leaveOneOut } from '../../data/split.js';
import { evaluateModel } from '../../eval/evaluate.js';
import { queryOf } from '../../eval/protocol.js';
import { BiasModel } from '../bias/bias.js';
import { RatingMfModel } from './rating-mf.js';

describe('matrix factorisation of the ratings', () => {
  it("learns each user's taste: held-out ratings far closer than the bias baseline's", async () => {
    const data = await ratedWorldDataset();
    const split = leaveOneOut(data);
    const mf = await evaluateModel(new RatingMfModel(), data, split);
    const bias = await evaluateModel(new BiasModel(), data, split);
    expect(mf.metrics.RMSE).toBeLessThan(bias.metrics.RMSE * 0.7);
    expect(mf.metrics.MAE).toBeLessThan(bias.metrics.MAE);
  });

  it('rates for a user it never saw from the ratings in the query, within the range', async () => {
    const data = await ratedWorldDataset();
    const split = leaveOneOut(data);
    const model = new RatingMfModel({ epochs: 3 });
    await model.fit({ corpus: split.fitCorpus('test') });
    const [kase] = split.cases('test');
    const query = { ...queryOf(kase, data), user: -1 };
    const rating = model.predictRating(query, kase.target);
    expect(rating).toBeGreaterThanOrEqual(1);
    expect(rating).toBeLessThanOrEqual(5);
    // a history rated higher raises the user's bias, so the rating
    const generous = model.predictRating(
      { ...query, values: new Float32Array(query.history.length).fill(5) },
      kase.target,
    );
    const harsh = model.predictRating(
      { ...query, values: new Float32Array(query.history.length).fill(1) },
      kase.target,
    );
    expect(generous).toBeGreaterThan(harsh);
  });

  it('rejects invalid configs with the field named', () => {
    expect(() => new RatingMfModel({ dim: 0 })).toThrow(/dim/);
  });
});
