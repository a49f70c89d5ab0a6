import type { BenchResult } from '../measure.js';
import type { Suite } from '../run.js';

const DATASETS: { label: string; args: string[] }[] = [
  { label: 'ML-1M ratings (users 1-2999)', args: ['--data', '../shared/data/ml-1m', '--source', 'ratings'] },
  { label: 'ML-100K', args: ['--data', '../shared/data/ml-100k'] },
];
const VALIDATIONS = [
  { name: 'latest', label: 'latest slice before the cut (`tide train --store`, `tide worker`)' },
  { name: 'loo', label: 'leave-one-out before the cut (as `tide train --data`)' },
];
/** The SASRec recipe of the temporal suite (bench/suites/temporal.ts). */
const RECIPE = {
  weighting: 'target',
  learningRate: 0.002,
  batchSize: 32,
  epochs: 30,
  patience: 4,
  init: 'normal',
};

const f4 = (x: unknown) => (typeof x === 'number' ? x.toFixed(4) : '-');
const metric = (r: BenchResult, name: string) => (r.metrics as Record<string, number> | undefined)?.[name];

/**
 * SASRec trained from a SQLite store filled by the first import, on the events before a time cut,
 * tested on the events after it: validated on the latest slice vs on leave-one-out holdouts.
 */
export const STORE_TRAINING: Suite = {
  name: 'store-training',
  jobs: DATASETS.flatMap(({ args }) =>
    VALIDATIONS.map(({ name }) => ({
      script: 'bench/store-training.ts',
      args: ['--validation', name, '--model-config', JSON.stringify(RECIPE), ...args],
    })),
  ),
  render(results) {
    return DATASETS.flatMap(({ label }, d) => {
      const rows = results.slice(d * VALIDATIONS.length, (d + 1) * VALIDATIONS.length);
      return [
        `### ${label}: ${rows[0]?.split ?? ''}, ${rows[0]?.users ?? '?'} test users`,
        '',
        '| validation | test NDCG@10 | HR@10 | MRR | Recall@10 | best valid NDCG@10 | epochs (best) | fit s |',
        '|---|---|---|---|---|---|---|---|',
        ...rows.map((r, v) => {
          const label = VALIDATIONS[v].label;
          if (r.bench === 'failed') return `| ${label} | failed: ${r.error} | | | | | | |`;
          return `| ${label} | ${f4(metric(r, 'NDCG@10'))} | ${f4(metric(r, 'HR@10'))} | ${f4(metric(r, 'MRR'))} | ${f4(metric(r, 'Recall@10'))} | ${f4(r.bestValidation)} | ${r.epochs} (${r.bestEpoch}) | ${typeof r.fitSeconds === 'number' ? r.fitSeconds.toFixed(0) : '-'} |`;
        }),
        '',
      ];
    }).join('\n');
  },
};
