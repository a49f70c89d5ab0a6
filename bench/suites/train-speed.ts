import { availableParallelism } from 'node:os';
import type { BenchResult } from '../measure.js';
import type { Suite } from '../run.js';

const ML1M = ['--data', '../shared/data/ml-1m'];
const LOSSES = ['bce', 'sampled-ce', 'full-ce'];
/** Tide trains on one thread; PyTorch runs on one and on all the machine's cores. */
const TORCH_THREADS = [...new Set([1, availableParallelism()])];

/** One train-step job: a family and loss, computed the current way or (some parts) the previous one. */
const step = (model: string, loss: string, fullSoftmax = 'kernel', matmul = 'simd') => ({
  script: 'bench/train-step.ts',
  args: ['--model', model, '--loss', loss, '--full-softmax', fullSoftmax, '--matmul', matmul, ...ML1M],
});

/** One step of the reference PyTorch SASRec (bench/torch/sasrec_step.py) at the same settings. */
const torchStep = (loss: string, threads: number) => ({
  script: 'bench/torch-step.ts',
  args: ['--loss', loss, '--threads', String(threads), ...ML1M],
});

/** Tide's SASRec step for a loss, computed the current way (SIMD kernels). */
const tideNow = (results: BenchResult[], loss: string) =>
  results.find(
    (r) =>
      r.bench === 'train-step' &&
      r.model === 'sasrec' &&
      r.loss === loss &&
      r.matmul === 'simd' &&
      (loss !== 'full-ce' || r.fullSoftmax === 'kernel'),
  );

/** Mean seconds per timed step, as both sides report it. */
const stepSeconds = (r: BenchResult | undefined): number | undefined =>
  typeof r?.secondsPerStep === 'number' ? r.secondsPerStep : undefined;
const seconds = (r: BenchResult | undefined) => stepSeconds(r)?.toFixed(2) ?? 'failed';

/** Tide's jobs: the current way and the baselines, in the first table's order. */
const TIDE_JOBS = [
  step('sasrec', 'bce', 'kernel', 'xnnpack'),
  step('sasrec', 'bce'),
  step('sasrec', 'sampled-ce', 'kernel', 'xnnpack'),
  step('sasrec', 'sampled-ce'),
  step('sasrec', 'full-ce', 'tfjs', 'xnnpack'),
  step('sasrec', 'full-ce', 'kernel', 'xnnpack'),
  step('sasrec', 'full-ce'),
  step('gru', 'full-ce', 'tfjs', 'xnnpack'),
  step('gru', 'full-ce'),
];

/**
 * Seconds per training step at the reference settings, per loss, computed now and as before Tide's
 * SIMD kernels (the full softmax in tfjs ops, the transposed and batched products through XNNPACK
 * slices): the baseline, measured in the same run. Then the reference PyTorch SASRec's step per loss,
 * on one thread and on all cores, and Tide's time as a multiple of it.
 */
export const TRAIN_SPEED: Suite = {
  name: 'train-speed',
  jobs: [...TIDE_JOBS, ...TORCH_THREADS.flatMap((threads) => LOSSES.map((loss) => torchStep(loss, threads)))],
  render(results: BenchResult[]) {
    const tide = results.slice(0, TIDE_JOBS.length);
    const lossLabel = (r: BenchResult) => (r.loss === 'sampled-ce' ? 'sampled-ce (1024)' : String(r.loss));
    const softmaxLabel = (r: BenchResult) => {
      if (r.loss !== 'full-ce') return '-';
      return r.fullSoftmax === 'tfjs' ? 'tfjs ops (before)' : 'SIMD cross-entropy';
    };
    const matmulLabel = (r: BenchResult) =>
      r.matmul === 'xnnpack' ? 'XNNPACK slices (before)' : 'SIMD product';
    return [
      '### Training speed at the reference settings: batch 128, windows of 200, SASRec d 50, 2 blocks (tfjs-wasm, one core)',
      'Random (not length-bucketed) batches, to match the reference PyTorch SASRec (measured in the same run: the',
      'next table). Epoch = 48 batches; length bucketing (the default in `tide train`) makes real epochs shorter.',
      'The baseline is the way Tide computed before its SIMD kernels: the full softmax in tfjs ops with the logits',
      'recomputed for the backward pass (bench/full-softmax-tfjs.ts), and the transposed and batched products as',
      'XNNPACK calls on copied, explicitly transposed slices.',
      '',
      '| model | loss | full softmax | transposed / batched products | s / step | s / epoch | peak RSS MiB |',
      '|---|---|---|---|---|---|---|',
      ...tide.map(
        (r) =>
          `| ${r.model} | ${lossLabel(r)} | ${softmaxLabel(r)} | ${matmulLabel(r)} | ${Number(r.secondsPerStep).toFixed(2)} | ${Number(r.secondsPerEpoch).toFixed(0)} | ${r.peakRssMiB} |`,
      ),
      '',
      ...renderAgainstTorch(results),
    ].join('\n');
  },
};

/** Tide's current step against the reference PyTorch step, per loss and PyTorch thread count. */
function renderAgainstTorch(results: BenchResult[]): string[] {
  const torch = results.find((r) => r.bench === 'torch-step');
  const rows = TORCH_THREADS.flatMap((threads) =>
    LOSSES.map((loss) => {
      const reference = results.find(
        (r) => r.bench === 'torch-step' && r.loss === loss && r.threads === threads,
      );
      const ours = threads === 1 ? tideNow(results, loss) : undefined;
      const [mine, theirs] = [stepSeconds(ours), stepSeconds(reference)];
      const ratio = mine !== undefined && theirs !== undefined ? (mine / theirs).toFixed(2) : '-';
      const tideSeconds = threads === 1 ? seconds(ours) : '-';
      return `| ${loss === 'sampled-ce' ? 'sampled-ce (1024)' : loss} | ${tideSeconds} | ${seconds(reference)} | ${ratio} | ${threads} |`;
    }),
  );
  return [
    '### Tide against a reference PyTorch SASRec, same settings, same run',
    `bench/torch/sasrec_step.py: pmixer/SASRec.pytorch's network in PyTorch ${torch?.torch ?? '?'} (Debian's python3-torch), on`,
    `${torch?.blas ?? 'OpenBLAS'}.`,
    "Both: forward + backward + Adam, the mean of the timed steps after two warm-up steps; PyTorch's batch and",
    "BCE negatives are made before its clock starts (pmixer draws them in sampler processes), Tide's negatives",
    "inside the step. Tide trains on one thread: its column is '-' on the all-cores rows.",
    '',
    '| loss | Tide s / step | PyTorch s / step | Tide / PyTorch | threads |',
    '|---|---|---|---|---|',
    ...rows,
  ];
}
