import type { BenchResult } from '../measure.js';
import type { Suite } from '../run.js';

const ML1M = ['--data', '../shared/data/ml-1m'];
const ML1M_RATINGS = [...ML1M, '--source', 'ratings'];
const ML100K = ['--data', '../shared/data/ml-100k'];
const RANKING_MODELS = ['pop', 'markov', 'itemknn', 'bpr'];

const f4 = (x: unknown) => (typeof x === 'number' ? x.toFixed(4) : '-');
const f1 = (x: unknown) => (typeof x === 'number' ? x.toFixed(1) : '-');
const f2 = (x: unknown) => (typeof x === 'number' ? x.toFixed(2) : '-');
const metric = (r: BenchResult, name: string) => (r.metrics as Record<string, number>)[name];

/** Data reading and the baselines every later model must beat. */
export const FOUNDATION: Suite = {
  name: 'foundation',
  jobs: [
    { script: 'bench/ingest.ts', args: ML1M },
    { script: 'bench/ingest.ts', args: ML1M_RATINGS },
    { script: 'bench/ingest.ts', args: ML100K },
    ...RANKING_MODELS.map((model) => ({ script: 'bench/eval-model.ts', args: ['--model', model, ...ML1M] })),
    ...['pop', 'markov'].map((model) => ({
      script: 'bench/eval-model.ts',
      args: ['--model', model, '--protocol', 'sampled', ...ML1M],
    })),
    ...['pop', 'markov', 'itemknn'].map((model) => ({
      script: 'bench/eval-model.ts',
      args: ['--model', model, '--split', 'temporal', ...ML1M_RATINGS],
    })),
    { script: 'bench/eval-model.ts', args: ['--model', 'bias', ...ML1M_RATINGS] },
    { script: 'bench/eval-model.ts', args: ['--model', 'bias', ...ML100K] },
  ],
  render(results) {
    const ingest = results.filter((r) => r.bench === 'ingest');
    const evals = results.filter((r) => r.bench === 'eval');
    const loo = evals.filter(
      (r) => r.dataset === 'ml-1m' && r.source === 'default' && r.protocol === 'full' && r.model !== 'bias',
    );
    const sampled = evals.filter((r) => r.protocol !== 'full');
    const temporal = evals.filter((r) => String(r.split).startsWith('temporal'));
    const ratings = evals.filter((r) => r.model === 'bias');
    return [
      '### Reading + preprocessing (cold, fresh process; 5-core rule, one pass)',
      '| data | format | events read | users | items | events kept | seconds | peak RSS MiB |',
      '|---|---|---|---|---|---|---|---|',
      ...ingest.map(
        (r) =>
          `| ${r.dataset} | ${r.format} | ${r.rawEvents} | ${r.users} | ${r.items} | ${r.events} | ${f2(r.seconds)} | ${r.peakRssMiB} |`,
      ),
      '',
      `### Baselines on ML-1M, leave-one-out, full ranking (${loo[0]?.users ?? '?'} users)`,
      'The independent numpy script (`../shared/anchors`, same protocol) gives MostPop NDCG@10 0.0193 / HR@10 0.0392',
      'and last-item transitions 0.1129 / 0.1927. fit and eval seconds exclude reading (~1 s).',
      '',
      '| model | NDCG@10 | HR@10 | MRR | Coverage@10 | Gini@10 | Novelty@10 | ILD@10 | fit s | eval s | peak RSS MiB |',
      '|---|---|---|---|---|---|---|---|---|---|---|',
      ...loo.map(
        (r) =>
          `| ${r.model} | ${f4(metric(r, 'NDCG@10'))} | ${f4(metric(r, 'HR@10'))} | ${f4(metric(r, 'MRR'))} | ${f4(metric(r, 'Coverage@10'))} | ${f4(metric(r, 'Gini@10'))} | ${f2(metric(r, 'Novelty@10'))} | ${f4(metric(r, 'ILD@10'))} | ${f1(r.fitSeconds)} | ${f1(r.evalSeconds)} | ${r.peakRssMiB} |`,
      ),
      '',
      '### The same, sampled protocol (target vs 100 random items not in the history)',
      'Anchors (`s100`, negatives drawn from outside the train part): MostPop 0.2420 / 0.4391, transitions 0.4392 / 0.6291.',
      '',
      '| model | protocol | NDCG@10 | HR@10 |',
      '|---|---|---|---|',
      ...sampled.map(
        (r) => `| ${r.model} | ${r.protocol} | ${f4(metric(r, 'NDCG@10'))} | ${f4(metric(r, 'HR@10'))} |`,
      ),
      '',
      `### Temporal split, ML-1M ratings of users 1-2999 (${temporal[0]?.split ?? ''}; ${temporal[0]?.users ?? '?'} users)`,
      'HR/NDCG/MRR on the first event after the cut; Recall/Precision over every item the user had after it.',
      '',
      '| model | NDCG@10 | HR@10 | MRR | Recall@10 | Precision@10 |',
      '|---|---|---|---|---|---|',
      ...temporal.map(
        (r) =>
          `| ${r.model} | ${f4(metric(r, 'NDCG@10'))} | ${f4(metric(r, 'HR@10'))} | ${f4(metric(r, 'MRR'))} | ${f4(metric(r, 'Recall@10'))} | ${f4(metric(r, 'Precision@10'))} |`,
      ),
      '',
      '### Rating prediction, bias baseline (global + user + item, damped), leave-one-out target ratings',
      '| data | users | MSE | RMSE | MAE |',
      '|---|---|---|---|---|',
      ...ratings.map(
        (r) =>
          `| ${r.dataset}${r.source === 'ratings' ? ' (ratings file)' : ''} | ${r.users} | ${f4(metric(r, 'MSE'))} | ${f4(metric(r, 'RMSE'))} | ${f4(metric(r, 'MAE'))} |`,
      ),
    ].join('\n');
  },
};
