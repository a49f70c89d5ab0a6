import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { worldDataset } from '../../test/fixtures/world.js';
import { leaveOneOut, temporalSplit, timeAtFraction } from '../data/split.js';
import { evaluateModel } from '../eval/evaluate.js';
import { neuralFamily } from '../models/neural/families.js';
import { NeuralRecommender } from '../models/neural/recommender.js';
import { initBackend } from '../nn/index.js';
import { TrainConfig } from './config.js';
import { neuralTrainer } from './neural-trainer.js';

const SASREC = { maxLength: 20, dim: 16 };
const SETTINGS = { epochs: 3, batchSize: 64, learningRate: 0.01, patience: 10, seed: 5 };

const NETWORKS = {
  sasrec: SASREC,
  fused: { longTerm: SASREC, fusionEpochs: 2 },
  facets: { sasrec: SASREC, facets: 3, facetEpochs: 2 },
};

function model(name: keyof typeof NETWORKS, hooks: Parameters<typeof neuralTrainer>[1] = {}) {
  const network = NETWORKS[name];
  const trainer = neuralTrainer(TrainConfig.parse(SETTINGS), hooks);
  return new NeuralRecommender({ name, family: neuralFamily(name), config: network, trainer });
}

const SHARED = ['item_embedding', 'position_embedding', 'block0/attn/query/kernel', 'final_ln/gamma'];

/** The named weights of two trained models are equal, bit for bit. */
function expectSameWeights(expected: NeuralRecommender, actual: NeuralRecommender, names = SHARED): void {
  const [a, b] = [expected.weightsNamed(names), actual.weightsNamed(names)];
  expect([...b.keys()]).toEqual(names);
  for (const name of names)
    expect(Array.from(b.get(name)!.data), name).toEqual(Array.from(a.get(name)!.data));
}

beforeAll(async () => {
  await initBackend();
});

let looSasRec: Promise<NeuralRecommender> | null = null;
/** `--model sasrec` trained once on the world's leave-one-out split: what the LOO tests compare with. */
function trainedSasRec(): Promise<NeuralRecommender> {
  looSasRec ??= (async () => {
    const data = await worldDataset();
    const sasrec = model('sasrec');
    await evaluateModel(sasrec, data, leaveOneOut(data));
    return sasrec;
  })();
  return looSasRec;
}

describe('models trained on a SASRec', () => {
  it('trains the SASRec first, exactly as `--model sasrec` would, then the fusion on it', async () => {
    const data = await worldDataset();
    const split = leaveOneOut(data);
    const sasrec = await trainedSasRec();
    const fused = model('fused');
    await evaluateModel(fused, data, split);
    expectSameWeights(sasrec, fused);
    const report = fused.trainReport!;
    expect(report.foundation?.epochs).toBe(3);
    expect(report.foundation?.bestValidation).toEqual(sasrec.trainReport?.bestValidation);
    expect(report.history).toHaveLength(2);
    expect(report.warmStarted).toEqual(expect.arrayContaining(SHARED));
  }, 120_000);

  it.each([
    ['fused', 'in the SASRec stage', 2, /checkpoint in \S+foundation continues/],
    ['fused', 'in the fusion stage', 18, /checkpoint in \S+-\w+ continues/],
    ['facets', 'in the facets stage', 18, /checkpoint in \S+-\w+ continues/],
  ] as const)(
    '%s interrupted %s, resumed: the weights of an uninterrupted run',
    async (name, _, stopAt, where) => {
      const data = await worldDataset();
      const split = leaveOneOut(data);
      const whole = model(name);
      await evaluateModel(whole, data, split);
      const dir = await mkdtemp(join(tmpdir(), 'tide-foundation-'));
      let batches = 0;
      const stopped = model(name, { checkpointDir: dir, shouldStop: () => ++batches === stopAt });
      await expect(evaluateModel(stopped, data, split)).rejects.toThrow(where);
      const resumed = model(name, { checkpointDir: dir, resume: true });
      await evaluateModel(resumed, data, split);
      const own =
        name === 'fused'
          ? ['fusion/gate/kernel', 'fusion/long_term/carry']
          : ['facets/gate/kernel', 'facets/recency'];
      const names = [...SHARED, ...own];
      expectSameWeights(whole, resumed, names);
    },
    240_000,
  );

  it("a freeze list naming the model's own layers holds them, and does not stop its SASRec from training", async () => {
    const data = await worldDataset();
    const split = leaveOneOut(data);
    const trainer = neuralTrainer(TrainConfig.parse({ ...SETTINGS, freeze: ['fusion/gate'] }));
    const held = new NeuralRecommender({
      name: 'fused',
      family: neuralFamily('fused'),
      config: NETWORKS.fused,
      trainer,
    });
    await evaluateModel(held, data, split);
    expectSameWeights(await trainedSasRec(), held);
    // the gate as initialised: bias 4 / GATE_SCALE, kernel 0
    expect(Array.from(held.weightsNamed(['fusion/gate/kernel']).get('fusion/gate/kernel')!.data)).toEqual([
      0, 0, 0, 0,
    ]);
  }, 120_000);

  it('on a time split, refits the SASRec as `--model sasrec` refits, then the fusion on it', async () => {
    const data = await worldDataset();
    const split = temporalSplit(data, {
      testFrom: timeAtFraction(data, 0.9),
      validFrom: timeAtFraction(data, 0.8),
      validOrigins: 2,
    });
    const sasrec = model('sasrec');
    const fused = model('fused');
    await evaluateModel(sasrec, data, split);
    await evaluateModel(fused, data, split);
    expect(sasrec.trainReport?.refit).toBeDefined();
    expect(fused.trainReport?.refit?.epochs).toBe(fused.trainReport?.bestEpoch);
    expect(Object.keys(fused.trainReport?.foundation?.bestValidation ?? {})).toEqual([
      'NDCG@10',
      'NDCG@10 without the time head',
    ]);
    expectSameWeights(sasrec, fused);
  }, 120_000);

  it('a facets model on a SASRec: the SASRec trained first and held, its state the latest of the facets', async () => {
    const data = await worldDataset();
    const split = leaveOneOut(data);
    const facets = model('facets');
    await evaluateModel(facets, data, split);
    expectSameWeights(await trainedSasRec(), facets);
    expect(facets.trainReport?.foundation?.epochs).toBe(3);
    const kase = split.cases('test')[0];
    const shown = facets.interestFacets({ user: kase.user, history: kase.history })!;
    expect(shown).toHaveLength(4);
    expect(shown.filter((f) => f.latest)).toHaveLength(1);
    expect(shown.find((f) => f.latest)?.label).toMatch(/^latest events: /);
    expect(shown.reduce((sum, f) => sum + f.weight, 0)).toBeCloseTo(1, 5);
  }, 120_000);
});
