import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { tinyFamily } from '../../test/fixtures/tiny-family.js';
import { ratedWorldDataset, worldDataset } from '../../test/fixtures/world.js';
import { leaveOneOut } from '../data/split.js';
import { evaluateModel } from '../eval/evaluate.js';
import { queryOf } from '../eval/protocol.js';
import { BiasModel } from '../models/bias/bias.js';
import { NeuralRecommender } from '../models/neural/recommender.js';
import { initBackend } from '../nn/index.js';
import { TrainConfig } from './config.js';
import { neuralTrainer } from './neural-trainer.js';

beforeAll(async () => {
  await initBackend();
});

describe('the rating head', () => {
  it('predicts the ratings of held-out events better than the bias baseline, and is saved with the model', async () => {
    const data = await ratedWorldDataset();
    const split = leaveOneOut(data);
    const settings = TrainConfig.parse({ epochs: 3, batchSize: 64, learningRate: 0.05 });
    const model = new NeuralRecommender({
      name: 'tiny',
      family: async () => tinyFamily as never,
      config: {},
      trainer: neuralTrainer(settings),
    });
    const neural = await evaluateModel(model, data, split);
    const bias = await evaluateModel(new BiasModel(), data, split);
    expect(model.predictsRatings()).toBe(true);
    expect(neural.metrics.RMSE).toBeLessThan(bias.metrics.RMSE * 0.95);

    const dir = await mkdtemp(join(tmpdir(), 'tide-rating-head-'));
    try {
      await model.save(dir, data.itemIds.ids(), data, 'rated world');
      const { model: loaded, manifest } = await NeuralRecommender.load(
        dir,
        async () => tinyFamily.createEncoder as never,
      );
      expect((manifest.training as { ratingHead?: { kept: boolean } }).ratingHead?.kept).toBe(true);
      for (const kase of split.cases('test').slice(0, 20)) {
        const query = queryOf(kase, data);
        expect(loaded.predictRating(query, kase.target)).toBeCloseTo(
          model.predictRating(query, kase.target),
          5,
        );
      }
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('is absent on data whose values are not ratings (purchase amounts)', async () => {
    const data = await worldDataset();
    expect(data.values?.some((v) => !Number.isNaN(v))).toBe(true);
    const model = new NeuralRecommender({
      name: 'tiny',
      family: async () => tinyFamily as never,
      config: {},
      trainer: neuralTrainer(TrainConfig.parse({ epochs: 1, batchSize: 64 })),
    });
    const report = await evaluateModel(model, data, leaveOneOut(data));
    expect(model.predictsRatings()).toBe(false);
    expect(report.metrics.RMSE).toBeUndefined();
    expect(() => model.predictRating({ user: 0, history: new Int32Array(1) }, 0)).toThrow(/no rating head/);
  });
});
