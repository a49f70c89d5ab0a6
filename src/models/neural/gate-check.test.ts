import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { worldDataset } from '../../../test/fixtures/world.js';
import type { EvalCase } from '../../data/split.js';
import { leaveOneOut } from '../../data/split.js';
import { initBackend } from '../../nn/index.js';
import { TrainConfig } from '../../training/config.js';
import { neuralTrainer } from '../../training/neural-trainer.js';
import type { RecQuery } from '../model.js';
import { encoderFor, neuralFamily } from './families.js';
import { checkGate, type GatedScorer } from './gate-check.js';
import { NeuralRecommender } from './recommender.js';

beforeAll(async () => {
  await initBackend();
});

/**
 * Four items; case k's target is item k % 2. The scorer puts item 0 on top when its gate is below 1/2
 * and item 1 when above; its free gate is `gates[user]`.
 */
function gatedScorer(gates: readonly number[]): GatedScorer & { fixed: number | null } {
  let last = 0;
  const scorer = {
    fixed: null as number | null,
    score(query: RecQuery, out: Float32Array) {
      last = scorer.fixed ?? gates[query.user];
      out.set(last < 0.5 ? [4, 3, 2, 1] : [3, 4, 2, 1]);
    },
    lastGate: () => (scorer.fixed === null ? last : undefined),
    fixGate(value: number | null) {
      scorer.fixed = value;
    },
  };
  return scorer;
}

function cases(n: number): EvalCase[] {
  return Array.from({ length: n }, (_, k) => ({
    user: k,
    history: new Int32Array(0),
    historyStart: 0,
    historyEnd: 0,
    target: k % 2,
    relevant: [k % 2],
  })) as unknown as EvalCase[];
}

const corpus = { nItems: 4, timestamps: null, types: new Uint8Array(0) } as never;

describe('gate check', () => {
  it('keeps a gate that ranks better than its mean, with its quantiles', () => {
    // the gate is low exactly where the target is item 0: a constant gets half the cases wrong
    const scorer = gatedScorer([0.1, 0.9, 0.2, 0.8, 0.3, 0.7]);
    const report = checkGate({ corpus, cases: cases(6), casesCorpus: corpus }, scorer);
    expect(report).toMatchObject({ kept: true, ndcgLearned: 1, cases: 6 });
    expect(report!.ndcgFixed).toBeLessThan(1);
    expect(report!.mean).toBeCloseTo(0.5, 6);
    expect(report!.p10).toBeLessThanOrEqual(report!.p50);
    expect(report!.p50).toBeLessThanOrEqual(report!.p90);
    expect(scorer.fixed).toBeNull();
  });

  it('folds a gate that ranks no better than its mean into that constant', () => {
    // the gate moves, but on the wrong side of 1/2 as often as the constant
    const scorer = gatedScorer([0.9, 0.1, 0.9, 0.1]);
    const report = checkGate({ corpus, cases: cases(4), casesCorpus: corpus }, scorer);
    expect(report).toMatchObject({ kept: false, ndcgLearned: expect.any(Number) });
    expect(report!.ndcgLearned).toBeLessThanOrEqual(report!.ndcgFixed);
    expect(scorer.fixed).toBeCloseTo(0.5, 6);
  });

  it('says nothing of a model without a gate', () => {
    const scorer = { score: () => {}, lastGate: () => undefined, fixGate: () => {} };
    expect(checkGate({ corpus, cases: cases(3), casesCorpus: corpus }, scorer)).toBeNull();
  });

  it('runs after training a fused model: the report is saved, and a folded gate stays folded once loaded', async () => {
    const data = await worldDataset();
    const split = leaveOneOut(data);
    const training = TrainConfig.parse({ epochs: 2, batchSize: 64, learningRate: 0.01, timeHead: false });
    const model = new NeuralRecommender({
      name: 'fused',
      family: neuralFamily('fused'),
      config: { longTerm: { maxLength: 20, dim: 16 } },
      trainer: neuralTrainer(training),
    });
    const validation = { corpus: split.fitCorpus('valid'), cases: split.cases('valid'), casesCorpus: data };
    await model.fit({ corpus: split.fitCorpus('test'), validation });
    const report = model.gateReport!;
    expect(report.cases).toBe(split.cases('valid').length);
    expect(report.p10).toBeLessThanOrEqual(report.p90);
    const dir = await mkdtemp(join(tmpdir(), 'tide-gate-'));
    await model.save(dir, data.itemIds.ids(), data, data.name);
    const { model: loaded, manifest } = await NeuralRecommender.load(dir, (name) => encoderFor(name));
    expect(manifest.training.gate).toMatchObject({ kept: report.kept, cases: report.cases });
    for (const kase of split.cases('test').slice(0, 10)) {
      const query = { user: kase.user, history: kase.history };
      const [trained, reloaded] = [new Float32Array(data.nItems), new Float32Array(data.nItems)];
      model.scoreAll(query, trained);
      loaded.scoreAll(query, reloaded);
      expect(Array.from(reloaded)).toEqual(Array.from(trained));
      // a is reported exactly when the gate was kept
      expect(loaded.lastDiagnostics().a !== undefined).toBe(report.kept);
    }
  });
});
