import { mkdir, mkdtemp, readdir, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { tinyFamily } from '../../test/fixtures/tiny-family.js';
import { worldDataset } from '../../test/fixtures/world.js';
import { TideError } from '../core/errors.js';
import { silentProgress } from '../core/progress.js';
import { leaveOneOut } from '../data/split.js';
import { evaluateModel } from '../eval/evaluate.js';
import { neuralFamily } from '../models/neural/families.js';
import { NeuralRecommender } from '../models/neural/recommender.js';
import { PopularityModel } from '../models/pop/pop.js';
import { initBackend } from '../nn/index.js';
import { readCheckpoint, writeCheckpoint } from './checkpoint.js';
import { TrainConfig } from './config.js';
import { neuralTrainer } from './neural-trainer.js';
import { trainNetwork } from './trainer.js';
import { readWeights } from './weights.js';

const family = async () => tinyFamily as never;
const freshTrainerState = () => ({
  epoch: 0,
  nextBatch: 0,
  bestScore: 0,
  bestEpoch: 0,
  evaluationsWithoutGain: 0,
  history: [],
  seconds: 0,
});
const fast = (overrides: Partial<TrainConfig> = {}) =>
  TrainConfig.parse({ epochs: 6, batchSize: 64, learningRate: 0.05, patience: 10, ...overrides });
const batchOptions = { maxLength: 8, withTimeGaps: false, withTypes: false };

const tinyModel = (settings: TrainConfig, hooks: Parameters<typeof neuralTrainer>[1] = {}) =>
  new NeuralRecommender({ name: 'tiny', family, config: {}, trainer: neuralTrainer(settings, hooks) });

beforeAll(async () => {
  await initBackend();
});

describe('trainer', () => {
  it('learns next items: a trained last-item network beats popularity on the synthetic world', async () => {
    const data = await worldDataset();
    const split = leaveOneOut(data);
    const model = tinyModel(fast());
    const report = await evaluateModel(model, data, split);
    const pop = await evaluateModel(new PopularityModel(), data, split);
    expect(report.metrics['NDCG@10']).toBeGreaterThan(pop.metrics['NDCG@10'] * 1.5);
    const history = model.trainReport?.history ?? [];
    expect(history.at(-1)!.loss).toBeLessThan(history[0].loss);
    expect(history.every((h) => h.validation !== undefined)).toBe(true);
  });

  it.each(['sampled-ce', 'bce'] as const)('also learns with the %s loss', async (loss) => {
    const data = await worldDataset();
    const split = leaveOneOut(data);
    const model = tinyModel(fast({ loss, negatives: 32 }));
    const report = await evaluateModel(model, data, split);
    const pop = await evaluateModel(new PopularityModel(), data, split);
    expect(report.metrics['NDCG@10']).toBeGreaterThan(pop.metrics['NDCG@10'] * 1.5);
  });

  it('windows all: the histories longer than maxLength give more batches per epoch, and it still learns', async () => {
    const data = await worldDataset();
    const corpus = leaveOneOut(data).fitCorpus('valid');
    const batchesOf = async (windows: TrainConfig['windows']) => {
      let total = 0;
      const network = tinyFamily.createNetwork({ maxLength: 8, dim: 8 }, data.nItems, 1);
      const progress = {
        ...silentProgress,
        start: (_: string, n: number) => {
          total = n;
        },
      };
      const result = await trainNetwork(network, { corpus }, fast({ epochs: 2, windows }), batchOptions, {
        progress,
      });
      return { perEpoch: total / 2, loss: result.history.map((h) => h.loss) };
    };
    const [last, all] = [await batchesOf('last'), await batchesOf('all')];
    const eventsPerUser = corpus.items.length / corpus.nUsers;
    expect(eventsPerUser).toBeGreaterThan(16);
    // every event once per epoch in windows of 8 targets, against one window per user
    expect(all.perEpoch).toBeGreaterThan(last.perEpoch * 2);
    expect(all.loss[1]).toBeLessThan(all.loss[0]);
  });

  it('weighting target: equal batches train exactly as weighting batch; unequal ones train differently', async () => {
    const data = await worldDataset(256);
    const corpus = leaveOneOut(data).fitCorpus('valid');
    // every user fills a window of maxLength targets, so batches of 64 hold the same number
    for (let u = 0; u < corpus.nUsers; u++)
      expect(corpus.offsets[u + 1] - corpus.offsets[u]).toBeGreaterThan(batchOptions.maxLength);
    const trained = async (batchSize: number, weighting: TrainConfig['weighting']) => {
      const network = tinyFamily.createNetwork({ maxLength: 8, dim: 8 }, data.nItems, 1);
      const result = await trainNetwork(
        network,
        { corpus },
        fast({ epochs: 2, batchSize, weighting }),
        batchOptions,
      );
      return { weights: readWeights(network), loss: result.history.map((h) => h.loss) };
    };
    const values = (w: Awaited<ReturnType<typeof trained>>) =>
      [...w.weights.values()].flatMap((v) => Array.from(v.data));
    const [equalBatch, equalTarget] = [await trained(64, 'batch'), await trained(64, 'target')];
    expect(values(equalTarget)).toEqual(values(equalBatch));
    expect(equalTarget.loss).toEqual(equalBatch.loss);
    // 256 users in batches of 60: the last holds 16, a third of the others' weight
    const [unequalBatch, unequalTarget] = [await trained(60, 'batch'), await trained(60, 'target')];
    expect(values(unequalTarget)).not.toEqual(values(unequalBatch));
    expect(unequalTarget.loss[1]).toBeLessThan(unequalTarget.loss[0]);
  });

  it('a linear schedule moves the weights about half as far as the constant rate it starts from', async () => {
    const data = await worldDataset();
    const corpus = leaveOneOut(data).fitCorpus('valid');
    const initial = readWeights(tinyFamily.createNetwork({ maxLength: 8, dim: 8 }, data.nItems, 1));
    const distance = async (schedule: TrainConfig['schedule']) => {
      const network = tinyFamily.createNetwork({ maxLength: 8, dim: 8 }, data.nItems, 1);
      // a small rate: Adam's steps then add up without overshooting, about one rate per batch
      await trainNetwork(
        network,
        { corpus },
        fast({ epochs: 2, learningRate: 0.001, schedule }),
        batchOptions,
      );
      let sum = 0;
      for (const [name, w] of readWeights(network)) {
        const start = initial.get(name)!.data;
        for (let i = 0; i < w.data.length; i++) sum += Math.abs(w.data[i] - start[i]);
      }
      return sum;
    };
    const [constant, linear] = [await distance('constant'), await distance('linear')];
    expect(linear / constant).toBeGreaterThan(0.4);
    expect(linear / constant).toBeLessThan(0.75);
  });

  it('freeze keeps the named variables where they were while the rest trains; an unknown name is a config error', async () => {
    const data = await worldDataset();
    const corpus = leaveOneOut(data).fitCorpus('valid');
    const network = tinyFamily.createNetwork({ maxLength: 8, dim: 8 }, data.nItems, 1);
    const [frozen, ...rest] = [...network.variables.keys()];
    const before = readWeights(network);
    await trainNetwork(network, { corpus }, fast({ epochs: 1, freeze: [frozen] }), batchOptions);
    const after = readWeights(network);
    expect(Array.from(after.get(frozen)!.data)).toEqual(Array.from(before.get(frozen)!.data));
    for (const name of rest)
      expect(Array.from(after.get(name)!.data)).not.toEqual(Array.from(before.get(name)!.data));
    await expect(
      trainNetwork(network, { corpus }, fast({ epochs: 1, freeze: ['no/such'] }), batchOptions),
    ).rejects.toThrow(/freeze: "no\/such" names no variable/);
  });

  it('an interrupted run resumed from its checkpoint ends with exactly the weights of an uninterrupted one', async () => {
    const data = await worldDataset();
    const corpus = leaveOneOut(data).fitCorpus('valid');
    // a decaying rate too: the resumed run must pick the curve up where it stopped
    const config = fast({ epochs: 3, schedule: 'linear' });
    const straight = tinyFamily.createNetwork({ maxLength: 8, dim: 8 }, data.nItems, 1);
    await trainNetwork(straight, { corpus }, config, batchOptions);

    const dir = await mkdtemp(join(tmpdir(), 'tide-ckpt-'));
    const interrupted = tinyFamily.createNetwork({ maxLength: 8, dim: 8 }, data.nItems, 1);
    let batches = 0;
    const first = await trainNetwork(interrupted, { corpus }, config, batchOptions, {
      checkpointDir: dir,
      shouldStop: () => ++batches === 7,
    });
    expect(first.stopped).toBe('interrupted');
    const resumed = tinyFamily.createNetwork({ maxLength: 8, dim: 8 }, data.nItems, 99);
    const second = await trainNetwork(resumed, { corpus }, config, batchOptions, {
      checkpointDir: dir,
      resume: true,
    });
    expect(second.stopped).toBe('completed');
    expect(second.history).toHaveLength(3);
    const [a, b] = [readWeights(straight), readWeights(resumed)];
    for (const [name, w] of a) expect(Array.from(b.get(name)!.data)).toEqual(Array.from(w.data));
  });

  it.each([
    ['sasrec', { maxLength: 8, dim: 8, dropout: 0.3 }],
    ['gru', { maxLength: 8, embeddingDim: 8, hiddenDim: 8, dropout: 0.3 }],
    ['facets', { maxLength: 8, dim: 8, dropout: 0.3 }],
  ])(
    '%s with dropout, interrupted mid-epoch and resumed: the weights of an uninterrupted run',
    async (name, config) => {
      const data = await worldDataset();
      const corpus = leaveOneOut(data).fitCorpus('valid');
      const family = await neuralFamily(name)();
      const create = () => family.createNetwork(family.configSchema.parse(config), data.nItems, 1);
      const settings = fast({ epochs: 2, learningRate: 0.01 });
      const straight = create();
      await trainNetwork(straight, { corpus }, settings, batchOptions);
      const dir = await mkdtemp(join(tmpdir(), 'tide-ckpt-dropout-'));
      let batches = 0;
      await trainNetwork(create(), { corpus }, settings, batchOptions, {
        checkpointDir: dir,
        shouldStop: () => ++batches === 3,
      });
      const resumed = create();
      await trainNetwork(resumed, { corpus }, settings, batchOptions, { checkpointDir: dir, resume: true });
      const [a, b] = [readWeights(straight), readWeights(resumed)];
      for (const [name, w] of a) expect(Array.from(b.get(name)!.data), name).toEqual(Array.from(w.data));
    },
  );

  it('sees a stop requested from an event-loop callback (a signal handler) after the batch in progress', async () => {
    const data = await worldDataset();
    const corpus = leaveOneOut(data).fitCorpus('valid');
    const network = tinyFamily.createNetwork({ maxLength: 8, dim: 8 }, data.nItems, 1);
    let requested = false;
    let batches = 0;
    const result = await trainNetwork(network, { corpus }, fast({ epochs: 3 }), batchOptions, {
      shouldStop: () => {
        // as Ctrl-C during the first batch: the handler runs when the event loop next turns
        if (++batches === 1)
          setImmediate(() => {
            requested = true;
          });
        return requested;
      },
    });
    expect(result.stopped).toBe('interrupted');
    expect(batches).toBe(2);
    expect(result.history).toHaveLength(0);
  });

  it('refuses to resume a checkpoint with another freeze list, naming the variables, and leaves it intact', async () => {
    const data = await worldDataset();
    const corpus = leaveOneOut(data).fitCorpus('valid');
    const dir = await mkdtemp(join(tmpdir(), 'tide-ckpt-'));
    const network = tinyFamily.createNetwork({ maxLength: 8, dim: 8 }, data.nItems, 1);
    const [frozen] = [...network.variables.keys()];
    let batches = 0;
    await trainNetwork(network, { corpus }, fast({ epochs: 2, freeze: [frozen] }), batchOptions, {
      checkpointDir: dir,
      shouldStop: () => ++batches === 3,
    });
    const state = await readFile(join(dir, 'state.json'), 'utf8');
    const error = await trainNetwork(network, { corpus }, fast({ epochs: 2 }), batchOptions, {
      checkpointDir: dir,
      resume: true,
    }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TideError);
    expect((error as TideError).code).toBe('CONFIG');
    expect((error as TideError).message).toContain(`now trained: ${frozen}`);
    expect((error as TideError).location?.field).toBe('freeze');
    expect(await readFile(join(dir, 'state.json'), 'utf8')).toBe(state);
    const resumed = await trainNetwork(
      network,
      { corpus },
      fast({ epochs: 2, freeze: [frozen] }),
      batchOptions,
      {
        checkpointDir: dir,
        resume: true,
      },
    );
    expect(resumed.stopped).toBe('completed');
  });

  it('stops at its time budget before an epoch that would end past it, keeping the best epoch', async () => {
    const data = await worldDataset();
    const split = leaveOneOut(data);
    const model = tinyModel(fast({ epochs: 30, budgetSeconds: 1e-3 }));
    await evaluateModel(model, data, split);
    const report = model.trainReport!;
    expect(report.stopped).toBe('budget');
    expect(report.epochs).toBe(1);
    expect(report.bestEpoch).toBe(1);
  });

  it('stops early when validation NDCG@10 stops improving, keeping the best epoch', async () => {
    const data = await worldDataset();
    const split = leaveOneOut(data);
    const model = tinyModel(fast({ epochs: 30, learningRate: 1e-9, patience: 2 }));
    await evaluateModel(model, data, split);
    const report = model.trainReport!;
    expect(report.stopped).toBe('early-stopping');
    expect(report.epochs).toBeLessThan(30);
    expect(report.bestEpoch).toBeLessThanOrEqual(report.epochs - 2);
  });

  it('save -> load gives identical scores, without the training code', async () => {
    const data = await worldDataset();
    const split = leaveOneOut(data);
    const model = tinyModel(fast({ epochs: 2 }));
    await model.fit({ corpus: split.fitCorpus('test') });
    const dir = await mkdtemp(join(tmpdir(), 'tide-model-'));
    await model.save(dir, data.itemIds.ids(), data, data.name);
    const { model: loaded, manifest } = await NeuralRecommender.load(
      dir,
      async () => (config, n, w) => tinyFamily.createEncoder(tinyFamily.configSchema.parse(config), n, w),
    );
    expect(manifest.itemIds).toEqual(data.itemIds.ids());
    expect(manifest.dataFingerprint.events).toBe(data.items.length);
    for (const kase of split.cases('test').slice(0, 20)) {
      const [before, after] = [new Float32Array(data.nItems), new Float32Array(data.nItems)];
      model.scoreAll({ user: kase.user, history: kase.history }, before);
      loaded.scoreAll({ user: kase.user, history: kase.history }, after);
      expect(Array.from(after)).toEqual(Array.from(before));
    }
  });
});

describe('category head', () => {
  it('learns P(c | u) on frozen representations: the next topic far above chance, saved and loaded', async () => {
    const data = await worldDataset();
    const split = leaveOneOut(data);
    const model = tinyModel(fast({ epochs: 8 }));
    const report = await evaluateModel(model, data, split);
    const topics = new Set(data.itemIds.ids().map((id) => data.catalog.get(id)?.categories?.[0])).size;
    expect(model.categoryNames()).toHaveLength(topics);
    expect(report.metrics['Category accuracy']).toBeGreaterThan(2 / topics);
    expect(report.metrics['Category macro-F1']).toBeGreaterThan(0);
    const dir = await mkdtemp(join(tmpdir(), 'tide-cat-'));
    await model.save(dir, data.itemIds.ids(), data, data.name);
    const { model: loaded } = await NeuralRecommender.load(
      dir,
      async () => (config, n, w) => tinyFamily.createEncoder(tinyFamily.configSchema.parse(config), n, w),
    );
    const kase = split.cases('test')[0];
    const [a, b] = [new Float32Array(topics), new Float32Array(topics)];
    model.categoryDistribution({ user: kase.user, history: kase.history }, a);
    loaded.categoryDistribution({ user: kase.user, history: kase.history }, b);
    expect(Array.from(b)).toEqual(Array.from(a));
    expect(a.reduce((s, v) => s + v, 0)).toBeCloseTo(1, 5);
  });
});

describe('trainer edge cases', () => {
  it('validation without cases counts as no validation: the trained weights are kept, not the initial ones', async () => {
    const data = await worldDataset();
    const corpus = leaveOneOut(data).fitCorpus('valid');
    const network = tinyFamily.createNetwork({ maxLength: 8, dim: 8 }, data.nItems, 1);
    const initial = readWeights(network);
    const result = await trainNetwork(
      network,
      { corpus, validation: { cases: [], casesCorpus: data } },
      fast({ epochs: 2 }),
      batchOptions,
    );
    expect(result.bestEpoch).toBe(2);
    expect(Array.from(readWeights(network).get('transform')!.data)).not.toEqual(
      Array.from(initial.get('transform')!.data),
    );
  });

  it('a diverging run stops with a clear error instead of training on NaN', async () => {
    const data = await worldDataset();
    const corpus = leaveOneOut(data).fitCorpus('valid');
    const network = tinyFamily.createNetwork({ maxLength: 8, dim: 8 }, data.nItems, 1);
    const poisoned = network.variables.get('transform')!;
    poisoned.assign(poisoned.mul(Number.NaN));
    await expect(trainNetwork(network, { corpus }, fast({ epochs: 1 }), batchOptions)).rejects.toThrow(
      /training diverged: loss NaN/,
    );
  });
});

describe('interrupting a model', () => {
  it('fit stops at once with a clear error naming the checkpoint, and the checkpoint resumes', async () => {
    const data = await worldDataset();
    const split = leaveOneOut(data);
    const dir = await mkdtemp(join(tmpdir(), 'tide-stop-'));
    let batches = 0;
    const stopped = tinyModel(fast({ epochs: 3 }), {
      checkpointDir: dir,
      shouldStop: () => ++batches === 2,
    });
    await expect(evaluateModel(stopped, data, split)).rejects.toThrow(
      /training interrupted in epoch 1; the checkpoint in .* continues with --resume/,
    );
    const resumed = tinyModel(fast({ epochs: 3 }), {
      checkpointDir: dir,
      resume: true,
    });
    await evaluateModel(resumed, data, split);
    expect(resumed.trainReport?.history).toHaveLength(3);
  });

  it('--resume refuses the checkpoint of another run, naming what differs; more epochs are fine', async () => {
    const data = await worldDataset();
    const split = leaveOneOut(data);
    const dir = await mkdtemp(join(tmpdir(), 'tide-identity-'));
    let batches = 0;
    const stopped = tinyModel(fast({ epochs: 3 }), { checkpointDir: dir, shouldStop: () => ++batches === 2 });
    await expect(evaluateModel(stopped, data, split)).rejects.toThrow(/training interrupted/);
    const other = new NeuralRecommender({
      name: 'tiny',
      family,
      config: { dim: 16 },
      trainer: neuralTrainer(fast({ epochs: 3, learningRate: 0.01 }), { checkpointDir: dir, resume: true }),
    });
    const refused = await evaluateModel(other, data, split).catch((error: unknown) => error);
    expect(refused).toBeInstanceOf(TideError);
    expect((refused as Error).message).toMatch(
      /is of another run: network\.dim: 8 → 16; settings\.learningRate: 0\.05 → 0\.01\./,
    );
    const fewerUsers = {
      ...split,
      fitCorpus: (stage: 'valid' | 'test') => ({ ...split.fitCorpus(stage), nUsers: 10 }),
    };
    const otherData = tinyModel(fast({ epochs: 3 }), { checkpointDir: dir, resume: true });
    await expect(evaluateModel(otherData, data, fewerUsers)).rejects.toThrow(/data\.users: \d+ → 10/);
    const longer = tinyModel(fast({ epochs: 4 }), { checkpointDir: dir, resume: true });
    await evaluateModel(longer, data, split);
    expect(longer.trainReport?.history).toHaveLength(4);
  });

  it('resuming the checkpoint of a run that stopped early ends where it ended, training nothing more', async () => {
    const data = await worldDataset();
    const split = leaveOneOut(data);
    const dir = await mkdtemp(join(tmpdir(), 'tide-finished-'));
    const settings = fast({ epochs: 30, learningRate: 1e-9, patience: 2 });
    const first = tinyModel(settings, { checkpointDir: dir });
    await evaluateModel(first, data, split);
    expect(first.trainReport?.stopped).toBe('early-stopping');
    const again = tinyModel(settings, { checkpointDir: dir, resume: true });
    await evaluateModel(again, data, split);
    expect(again.trainReport?.stopped).toBe('early-stopping');
    expect(again.trainReport?.history).toEqual(first.trainReport?.history);
  });

  it('a checkpoint is committed by its state file: a folder written before a crash is ignored, and replaced', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'tide-commit-'));
    const weights = (value: number) => new Map([['w', { shape: [2], data: Float32Array.of(value, value) }]]);
    const state = (epoch: number) => ({ ...freshTrainerState(), epoch });
    await writeCheckpoint(dir, weights(1), weights(1), weights(1), state(1));
    // a crash after the next weights were written, before its state: a stray folder, the old state
    await mkdir(join(dir, 'parts-crashed', 'best'), { recursive: true });
    await writeFile(join(dir, 'parts-crashed', 'best', 'manifest.json'), '{');
    const read = await readCheckpoint(dir);
    expect(read?.state.epoch).toBe(1);
    expect(Array.from(read!.best.get('w')!.data)).toEqual([1, 1]);
    await writeCheckpoint(dir, weights(2), weights(2), weights(2), state(2));
    expect((await readdir(dir)).sort()).toEqual([expect.stringMatching(/^parts-/), 'state.json']);
    expect(Array.from((await readCheckpoint(dir))!.current.get('w')!.data)).toEqual([2, 2]);
  });
});

describe('warm start', () => {
  it('a fused model starts from a trained SASRec: the shared layers take its values, the fusion keeps its own', async () => {
    const data = await worldDataset();
    const corpus = leaveOneOut(data).fitCorpus('valid');
    const options = { maxLength: 20, withTimeGaps: false, withTypes: false };
    const sasrecFamily = await neuralFamily('sasrec')();
    const sasrec = sasrecFamily.createNetwork(
      sasrecFamily.configSchema.parse({ maxLength: 20, dim: 16 }),
      data.nItems,
      1,
    );
    await trainNetwork(sasrec, { corpus }, fast({ epochs: 2, learningRate: 0.01 }), options);
    const trained = readWeights(sasrec);

    const tideFamily = await neuralFamily('fused')();
    const tide = tideFamily.createNetwork(
      tideFamily.configSchema.parse({ longTerm: { maxLength: 20, dim: 16 } }),
      data.nItems,
      2,
    );
    const untouched = readWeights(tide);
    // a learning rate so small that one epoch leaves every weight where it started
    const result = await trainNetwork(tide, { corpus }, fast({ epochs: 1, learningRate: 1e-9 }), options, {
      initialWeights: trained,
    });
    const shared = [...tide.variables.keys()].filter((name) => trained.has(name));
    expect(shared).toContain('item_embedding');
    expect(shared).toContain('block1/ffn/outer/kernel');
    expect(result.warmStarted?.sort()).toEqual(shared.sort());
    const after = readWeights(tide);
    for (const name of shared) {
      const [a, b] = [after.get(name)!.data, trained.get(name)!.data];
      for (let i = 0; i < a.length; i += 97) expect(a[i]).toBeCloseTo(b[i], 4);
    }
    const fusion = [...tide.variables.keys()].filter((name) => name.startsWith('fusion/'));
    expect(fusion.length).toBeGreaterThan(0);
    for (const name of fusion) expect(trained.has(name)).toBe(false);
    expect(after.get('fusion/gate/bias')!.data[0]).toBeCloseTo(untouched.get('fusion/gate/bias')!.data[0], 4);
  }, 120_000);
});
