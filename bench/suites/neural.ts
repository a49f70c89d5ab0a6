import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { BenchResult } from '../measure.js';
import type { Suite } from '../run.js';

/** Where `bench/train-ml1m.sh` put the trained models (outside the repository: they are large). */
const RUNS = process.env.TIDE_RUNS ?? new URL('../../../runs', import.meta.url).pathname;
const FAMILIES = ['sasrec', 'fused', 'gru', 'lstm'];
const ML1M = ['--data', '../shared/data/ml-1m'];
/** Run directories under RUNS to report: `<family>-ml1m`, or TIDE_BENCH_RUNS="sasrec-ml1m,tide-warm-ml1m". */
const RUN_NAMES = process.env.TIDE_BENCH_RUNS?.split(',') ?? FAMILIES.map((family) => `${family}-ml1m`);
const trained = RUN_NAMES.filter((name) => existsSync(join(RUNS, name, 'manifest.json')));

/** The first run named for each family (the name's part before the first '-'). */
function firstOfEachFamily(names: string[]): string[] {
  const seen = new Set<string>();
  return names.filter((name) => {
    const family = name.split('-')[0];
    if (seen.has(family)) return false;
    seen.add(family);
    return true;
  });
}

const f4 = (x: unknown) => (typeof x === 'number' ? x.toFixed(4) : '-');
const metric = (r: BenchResult, name: string) => (r.metrics as Record<string, number>)[name];

interface TrainingReport {
  config: {
    loss: string;
    negatives: number;
    learningRate: number;
    batchSize: number;
    windows?: string;
    weighting?: string;
    schedule?: string;
  };
  report: { epochs: number; bestEpoch: number; secondsPerEpoch: number; peakRssMiB: number; stopped: string };
}

/** The table's loss column: how a run was trained, where it differs from the defaults. */
function recipe(config: TrainingReport['config']): string {
  const negatives = config.loss === 'sampled-ce' ? ` (${config.negatives})` : '';
  const windows = config.windows === 'all' ? ', all windows' : '';
  const weighting = config.weighting === 'target' ? ', target weighting' : '';
  const schedule = config.schedule && config.schedule !== 'constant' ? ` (${config.schedule} decay)` : '';
  const batch = config.batchSize === 128 ? '' : `, batch ${config.batchSize}`;
  return `${config.loss}${negatives}, lr ${config.learningRate}${schedule}${batch}${windows}${weighting}`;
}

/** The embedding width of a saved network: its own, or its long-term part's (the fused model). */
function width(network: unknown): string {
  const shape = network as { dim?: number; longTerm?: { dim?: number } } | undefined;
  return String(shape?.dim ?? shape?.longTerm?.dim ?? '-');
}

/** The trained sequence models on ML-1M beside the baselines, re-evaluated in one run, and their serving latency. */
export const NEURAL: Suite = {
  name: 'neural',
  jobs: [
    ...['pop', 'markov'].map((model) => ({
      script: 'bench/eval-model.ts',
      args: ['--model', model, ...ML1M],
    })),
    ...trained.map((name) => ({
      script: 'bench/eval-model.ts',
      args: ['--model-dir', join(RUNS, name), ...ML1M],
    })),
    ...trained.map((name) => ({
      script: 'bench/inference.ts',
      args: ['--model-dir', join(RUNS, name), ...ML1M],
    })),
    // the scalar kernels on the first run of each family: the baseline of the SIMD ones
    ...firstOfEachFamily(trained).map((name) => ({
      script: 'bench/inference.ts',
      args: ['--model-dir', join(RUNS, name), '--kernels', 'scalar', ...ML1M],
    })),
    ...trained
      .filter((name) => name.startsWith('facets'))
      .map((name) => ({ script: 'bench/facet-spread.ts', args: ['--model-dir', join(RUNS, name), ...ML1M] })),
  ],
  render(results) {
    const evals = results.filter((r) => r.bench === 'eval');
    const latency = results.filter((r) => r.bench === 'inference');
    const spreads = results.filter((r) => r.bench === 'facet-spread');
    const row = (r: BenchResult) => {
      const t = r.training as TrainingReport | undefined;
      const training = t
        ? `${t.report.epochs} (best ${t.report.bestEpoch}, ${t.report.stopped}) | ${t.report.secondsPerEpoch.toFixed(0)} | ${t.report.peakRssMiB} | ${recipe(t.config)}`
        : '- | - | - | -';
      return `| ${r.run ?? r.model} | ${width(r.network)} | ${f4(metric(r, 'NDCG@10'))} | ${f4(metric(r, 'HR@10'))} | ${f4(metric(r, 'MRR'))} | ${f4(metric(r, 'Coverage@10'))} | ${f4(metric(r, 'Category accuracy'))} | ${f4(metric(r, 'mean a'))} | ${training} |`;
    };
    return [
      `### Sequence models on ML-1M, leave-one-out, full ranking (${evals[0]?.users ?? '?'} users)`,
      'Trained by `bench/train-ml1m.sh` (its commands are the exact ones), saved, then loaded and',
      're-evaluated here without tfjs, beside the baselines measured in the same run.',
      '',
      '| model | d | NDCG@10 | HR@10 | MRR | Coverage@10 | Category accuracy | mean a | epochs | s/epoch | peak RSS MiB | loss |',
      '|---|---|---|---|---|---|---|---|---|---|---|---|',
      ...evals.map(row),
      '',
      '### Serving latency from a saved model (plain TypeScript, one core): next-item scores over all items, 200-long history',
      'Kernels: `auto` is WebAssembly SIMD (assembly/kernels.ts; every Node >= 20 has it), `scalar` the plain-JS',
      'kernels it replaced, measured in the same run as the baseline.',
      '',
      '| model | kernels | items | p50 ms | p90 ms | p99 ms | load s |',
      '|---|---|---|---|---|---|---|',
      ...latency.map(
        (r) =>
          `| ${r.run ?? r.family} | ${r.kernels ?? 'auto'} | ${r.items} | ${Number(r.p50Ms).toFixed(2)} | ${Number(r.p90Ms).toFixed(2)} | ${Number(r.p99Ms).toFixed(2)} | ${Number(r.loadSeconds).toFixed(2)} |`,
      ),
      ...(spreads.length > 0 ? facetSpreads(spreads) : []),
    ].join('\n');
  },
};

/** How distinct the facets of each facets run are. */
function facetSpreads(spreads: BenchResult[]): string[] {
  return [
    '',
    `### How distinct the facets are (${spreads[0].users} test histories)`,
    'How the facets were mixed while training (`routing`) against what a person sees: the mean cosine between',
    'two facet vectors of one user (1 = the facets are one and the same), the mean largest context weight, and',
    'the share of users whose facets all get different labels (top-2 categories). On a SASRec, the mix also',
    "holds the SASRec's state after the latest events: its mean weight is in the last column, and it is left out",
    'of the other columns.',
    '',
    '| model | routing | mean pair cosine | mean largest weight | all labels distinct | weight of the latest events |',
    '|---|---|---|---|---|---|',
    ...spreads.map(
      (r) =>
        `| ${r.run} | ${r.routing} | ${f4(r.meanPairCosine)} | ${f4(r.meanLargestWeight)} | ${f4(r.allLabelsDistinct)} | ${f4(r.meanLatestWeight)} |`,
    ),
  ];
}
