import type { BenchResult } from '../measure.js';
import type { Suite } from '../run.js';

const DATASETS: { label: string; args: string[] }[] = [
  { label: 'ML-1M ratings (users 1-2999)', args: ['--data', '../shared/data/ml-1m', '--source', 'ratings'] },
  { label: 'ML-100K', args: ['--data', '../shared/data/ml-100k'] },
];
const SPLITS = [
  { name: 'loo', label: 'leave-one-out' },
  { name: 'temporal', label: 'time split (cut 0.9)' },
];
/** The SASRec recipe of the temporal suite; its rating head is fitted after training. */
const SASREC = {
  init: 'normal',
  weighting: 'target',
  learningRate: 0.002,
  batchSize: 32,
  epochs: 30,
  patience: 4,
};
const MODELS: { name: string; config?: Record<string, unknown> }[] = [
  { name: 'bias' },
  { name: 'mf' },
  { name: 'sasrec', config: SASREC },
];

const f4 = (x: unknown) => (typeof x === 'number' ? x.toFixed(4) : '-');
const metric = (r: BenchResult, name: string) => (r.metrics as Record<string, number> | undefined)?.[name];

/** Rating prediction: the bias baseline, matrix factorisation and SASRec's rating head, per split. */
export const RATINGS: Suite = {
  name: 'ratings',
  jobs: DATASETS.flatMap(({ args }) =>
    SPLITS.flatMap((split) =>
      MODELS.map((model) => ({
        script: 'bench/eval-model.ts',
        args: [
          '--model',
          model.name,
          '--split',
          split.name,
          ...(model.config ? ['--model-config', JSON.stringify(model.config)] : []),
          ...args,
        ],
      })),
    ),
  ),
  render(results) {
    const perData = SPLITS.length * MODELS.length;
    return DATASETS.flatMap(({ label }, d) => [
      `### ${label}: the rating of each test target`,
      '',
      '| split | model | RMSE | MAE | MSE | NDCG@10 | test users | fit s |',
      '|---|---|---|---|---|---|---|---|',
      ...results.slice(d * perData, (d + 1) * perData).map((r, k) => {
        const split = SPLITS[Math.floor(k / MODELS.length)].label;
        const model = MODELS[k % MODELS.length].name;
        if (r.bench === 'failed') return `| ${split} | ${model} | failed: ${r.error} | | | | | |`;
        const fit = typeof r.fitSeconds === 'number' ? r.fitSeconds.toFixed(0) : '-';
        return `| ${split} | ${model} | ${f4(metric(r, 'RMSE'))} | ${f4(metric(r, 'MAE'))} | ${f4(metric(r, 'MSE'))} | ${f4(metric(r, 'NDCG@10'))} | ${r.users} | ${fit} |`;
      }),
      '',
    ]).join('\n');
  },
};
