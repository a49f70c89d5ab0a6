import { describe, expect, it } from 'vitest';
import { describeRecommenderContract } from '../../../test/contracts/recommender.js';
import { worldDataset } from '../../../test/fixtures/world.js';
import { leaveOneOut } from '../../data/split.js';
import { evaluateModel } from '../../eval/evaluate.js';
import { PopularityModel } from '../pop/pop.js';
import { BprModel } from './bpr.js';

describeRecommenderContract('bpr', () => new BprModel({ epochs: 5 }));

describe('BPR-MF', () => {
  it('learns personal preferences: beats popularity on the synthetic world', async () => {
    const data = await worldDataset();
    const split = leaveOneOut(data);
    const bpr = await evaluateModel(new BprModel({ epochs: 15 }), data, split);
    const pop = await evaluateModel(new PopularityModel(), data, split);
    expect(bpr.metrics['NDCG@10']).toBeGreaterThan(pop.metrics['NDCG@10'] * 1.5);
  });

  it('rejects invalid configs with the field named', () => {
    expect(() => new BprModel({ dim: 0 })).toThrow(/dim/);
  });
});
