import type { BenchResult } from '../measure.js';
import type { Suite } from '../run.js';

/** The data sets with times: ML-1M's ratings file (users 1-2999), ML-100K, MovieLens latest-small. */
const DATASETS: { label: string; args: string[] }[] = [
  { label: 'ML-1M ratings (users 1-2999)', args: ['--data', '../shared/data/ml-1m', '--source', 'ratings'] },
  { label: 'ML-100K', args: ['--data', '../shared/data/ml-100k'] },
  { label: 'ml-latest-small', args: ['--data', '../shared/data/ml-latest-small'] },
];
const BASELINES = ['pop', 'pop-recent', 'markov', 'itemknn', 'bpr'];
/**
 * The sequence families, from scratch with the fast recipe of the leave-one-out runs (N(0, 0.02)
 * initialisation, target weighting, lr 0.002, batches of 32, full softmax), early-stopped on the
 * validation cuts (where the time head is fitted too), then refitted on every event before the test
 * cut for the best epoch count (the default on a time cut).
 */
const NEURAL = ['sasrec', 'fused', 'gru', 'lstm', 'facets'];
const TRAINING = {
  weighting: 'target',
  learningRate: 0.002,
  batchSize: 32,
  epochs: 30,
  patience: 4,
};
const RECIPES: Record<string, Record<string, unknown>> = {
  sasrec: { ...TRAINING, init: 'normal' },
  fused: { ...TRAINING, longTerm: { init: 'normal' } },
  gru: TRAINING,
  lstm: TRAINING,
  facets: { ...TRAINING, sasrec: { init: 'normal' } },
};

const f4 = (x: unknown) => (typeof x === 'number' ? x.toFixed(4) : '-');
const f2 = (x: unknown) => (typeof x === 'number' ? x.toFixed(2) : '-');
const metric = (r: BenchResult, name: string) => (r.metrics as Record<string, number>)[name];

/** Every baseline and sequence family on the time split of each data set with times. */
export const TEMPORAL: Suite = {
  name: 'temporal',
  jobs: DATASETS.flatMap(({ args }) => [
    ...BASELINES.map((model) => ({
      script: 'bench/eval-model.ts',
      args: ['--model', model, '--split', 'temporal', ...args],
    })),
    ...NEURAL.map((model) => ({
      script: 'bench/eval-model.ts',
      args: [
        '--model',
        model,
        '--split',
        'temporal',
        '--model-config',
        JSON.stringify(RECIPES[model]),
        ...args,
      ],
    })),
  ]),
  render(results) {
    const perData = DATASETS.length;
    const size = results.length / perData;
    return DATASETS.flatMap(({ label }, d) => {
      const rows = results.slice(d * size, (d + 1) * size);
      return [
        `### ${label}: ${rows[0]?.split ?? ''}, ${rows[0]?.users ?? '?'} users`,
        '',
        '| model | NDCG@10 | HR@10 | MRR | Recall@10 | Coverage@10 | trend share | pop-recent days |',
        '|---|---|---|---|---|---|---|---|',
        ...rows.map((r) => {
          if (r.bench === 'failed')
            return `| ${r.args && (r.args as string[])[1]} | failed: ${r.error} | | | | | | |`;
          const config = r.config as Record<string, unknown> | undefined;
          return `| ${r.model} | ${f4(metric(r, 'NDCG@10'))} | ${f4(metric(r, 'HR@10'))} | ${f4(metric(r, 'MRR'))} | ${f4(metric(r, 'Recall@10'))} | ${f4(metric(r, 'Coverage@10'))} | ${f2(metric(r, 'mean trendShare'))} | ${config?.days ?? '-'} |`;
        }),
        '',
      ];
    }).join('\n');
  },
};
