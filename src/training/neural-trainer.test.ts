import { beforeAll, describe, expect, it } from 'vitest';
import { tinyFamily } from '../../test/fixtures/tiny-family.js';
import { worldDataset } from '../../test/fixtures/world.js';
import { leaveOneOut, temporalSplit, timeAtFraction } from '../data/split.js';
import { evaluateModel } from '../eval/evaluate.js';
import { NeuralRecommender } from '../models/neural/recommender.js';
import { initBackend } from '../nn/index.js';
import { TrainConfig } from './config.js';
import { neuralTrainer } from './neural-trainer.js';

const family = async () => tinyFamily as never;
const settings = (overrides: Partial<TrainConfig> = {}) =>
  TrainConfig.parse({ epochs: 4, batchSize: 64, learningRate: 0.05, patience: 10, ...overrides });
const tiny = (overrides: Partial<TrainConfig> = {}) =>
  new NeuralRecommender({ name: 'tiny', family, config: {}, trainer: neuralTrainer(settings(overrides)) });

beforeAll(async () => {
  await initBackend();
});

describe('the neural trainer', () => {
  it('on the latest slice of time: stops early on the model with its time head, then refits on every event before the test', async () => {
    const data = await worldDataset();
    const split = temporalSplit(data, {
      testFrom: timeAtFraction(data, 0.9),
      validFrom: timeAtFraction(data, 0.8),
      validOrigins: 2,
    });
    const model = tiny();
    await evaluateModel(model, data, split);
    const report = model.trainReport!;
    // validation: the model as it will answer (with its head), and the network alone beside it
    for (const epoch of report.history) {
      expect(Object.keys(epoch.validation ?? {})).toEqual(['NDCG@10', 'NDCG@10 without the time head']);
    }
    expect(report.refit).toMatchObject({ epochs: report.bestEpoch });
  });

  it('refits only when asked on leave-one-out holdouts, and never on a time split told not to', async () => {
    const data = await worldDataset();
    const loo = tiny({ epochs: 2 });
    await evaluateModel(loo, data, leaveOneOut(data));
    expect(loo.trainReport?.refit).toBeUndefined();
    expect(Object.keys(loo.trainReport?.history[0].validation ?? {})).toEqual(['NDCG@10', 'HR@10', 'MRR']);

    const asked = tiny({ epochs: 2, refit: true });
    await evaluateModel(asked, data, leaveOneOut(data));
    expect(asked.trainReport?.refit?.epochs).toBe(asked.trainReport?.bestEpoch);

    const split = temporalSplit(data, {
      testFrom: timeAtFraction(data, 0.9),
      validFrom: timeAtFraction(data, 0.8),
    });
    const told = tiny({ epochs: 2, refit: false });
    await evaluateModel(told, data, split);
    expect(told.trainReport?.refit).toBeUndefined();
  });
});
