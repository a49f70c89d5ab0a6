import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it, vi } from 'vitest';
import { tinyFamily } from '../../../test/fixtures/tiny-family.js';
import { worldDataset } from '../../../test/fixtures/world.js';
import { leaveOneOut } from '../../data/split.js';
import { initBackend } from '../../nn/index.js';
import { TrainConfig } from '../../training/config.js';
import { neuralTrainer } from '../../training/neural-trainer.js';
import { PretrainedRecommender } from './pretrained.js';
import { type EncoderFactory, NeuralRecommender } from './recommender.js';
import { TIME_CONTEXT_SIZE, timeContext } from './time-head.js';

const family = async () => tinyFamily as never;
const tinyModel = (settings: TrainConfig) =>
  new NeuralRecommender({ name: 'tiny', family, config: {}, trainer: neuralTrainer(settings) });
const fast = TrainConfig.parse({ epochs: 3, batchSize: 64, learningRate: 0.05 });
const tinyEncoder = async (): Promise<EncoderFactory> => (config, n, w) =>
  tinyFamily.createEncoder(tinyFamily.configSchema.parse(config), n, w);

beforeAll(async () => {
  await initBackend();
});

describe('time context', () => {
  it('reads the gap from the latest event, whatever order the times came in, and 0 when unknown', () => {
    const hour = 3_600_000;
    const out = new Float32Array(TIME_CONTEXT_SIZE);
    timeContext([5 * hour, 10 * hour, 3 * hour], 20 * hour, 0, out);
    expect(out[1]).toBeCloseTo(Math.log1p(10) / 10, 6);
    timeContext([5 * hour, Number.NaN], 20 * hour, 0, out);
    expect(out[1]).toBeCloseTo(Math.log1p(15) / 10, 6);
    timeContext([], 20 * hour, 0, out);
    expect(out[1]).toBe(0);
    timeContext([hour], undefined, 0, out);
    expect(Array.from(out)).toEqual([1, 0, 0]);
  });
});

describe('time head of a neural model', () => {
  it('is fitted on validation when the data has times, saved, and scores the same once loaded', async () => {
    const data = await worldDataset();
    const split = leaveOneOut(data);
    const model = tinyModel(fast);
    const validation = { corpus: split.fitCorpus('valid'), cases: split.cases('valid'), casesCorpus: data };
    await model.fit({ corpus: split.fitCorpus('test'), validation });
    expect(model.hasTimeHead).toBe(true);
    const dir = await mkdtemp(join(tmpdir(), 'tide-time-head-'));
    await model.save(dir, data.itemIds.ids(), data, data.name);
    const { model: loaded, manifest } = await NeuralRecommender.load(dir, tinyEncoder);
    expect(manifest.training.timeHead).toMatchObject({ samples: split.cases('valid').length, kept: true });
    const { lossBefore, lossAfter } = manifest.training.timeHead as { lossBefore: number; lossAfter: number };
    expect(lossAfter).toBeLessThan(lossBefore);
    // loaded for evaluation: the trend of the same events, mapped by item id
    const pretrained = new PretrainedRecommender(loaded, manifest.itemIds, data.itemIds.ids());
    await pretrained.fit({ corpus: split.fitCorpus('test') });
    // loaded with no trend given, the head has nothing to read: the sequence model's scores alone
    const { model: bare } = await NeuralRecommender.load(dir, tinyEncoder);
    for (const kase of split.cases('test').slice(0, 20)) {
      const start = kase.historyStart;
      const query = {
        user: kase.user,
        history: kase.history,
        timestamps: data.timestamps!.subarray(start, kase.historyEnd),
        now: data.timestamps![kase.historyEnd],
      };
      const [trained, reloaded, plain] = [1, 2, 3].map(() => new Float32Array(data.nItems));
      model.scoreAll(query, trained);
      pretrained.scoreAll(query, reloaded);
      expect(Array.from(reloaded)).toEqual(Array.from(trained));
      expect(model.lastDiagnostics().trendShare).toBeGreaterThan(0);
      bare.scoreAll(query, plain);
      expect(Array.from(plain)).not.toEqual(Array.from(trained));
    }
  });

  it('says once that data without times trains without time, and fits no head', async () => {
    const data = await worldDataset();
    const untimed = { ...leaveOneOut(data).fitCorpus('test'), timestamps: null };
    const warn = vi.spyOn(process, 'emitWarning').mockImplementation(() => {});
    try {
      for (let k = 0; k < 2; k++) {
        const model = tinyModel(TrainConfig.parse({ epochs: 1 }));
        const split = leaveOneOut(untimed);
        const validation = {
          corpus: split.fitCorpus('valid'),
          cases: split.cases('valid'),
          casesCorpus: untimed,
        };
        await model.fit({ corpus: untimed, validation });
        expect(model.hasTimeHead).toBe(false);
      }
      const said = warn.mock.calls.filter(([message]) => String(message).includes('no event times'));
      expect(said).toHaveLength(1);
    } finally {
      warn.mockRestore();
    }
  });
});
