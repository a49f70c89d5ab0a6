import type { BenchResult } from '../measure.js';
import type { Suite } from '../run.js';

const ML1M = ['--data', '../shared/data/ml-1m'];

/** One train-step job: a family and loss, computed the current way or (some parts) the previous one. */
const step = (model: string, loss: string, fullSoftmax = 'kernel', matmul = 'simd') => ({
  script: 'bench/train-step.ts',
  args: ['--model', model, '--loss', loss, '--full-softmax', fullSoftmax, '--matmul', matmul, ...ML1M],
});

/**
 * Seconds per training step at the reference settings, per loss, computed now and as before session 8's
 * SIMD kernels (the full softmax in tfjs ops, the transposed and batched products through XNNPACK
 * slices): the baseline, measured in the same run.
 */
export const TRAIN_SPEED: Suite = {
  name: 'train-speed',
  jobs: [
    step('sasrec', 'bce', 'kernel', 'xnnpack'),
    step('sasrec', 'bce'),
    step('sasrec', 'sampled-ce', 'kernel', 'xnnpack'),
    step('sasrec', 'sampled-ce'),
    step('sasrec', 'full-ce', 'tfjs', 'xnnpack'),
    step('sasrec', 'full-ce', 'kernel', 'xnnpack'),
    step('sasrec', 'full-ce'),
    step('gru', 'full-ce', 'tfjs', 'xnnpack'),
    step('gru', 'full-ce'),
  ],
  render(results: BenchResult[]) {
    const lossLabel = (r: BenchResult) => (r.loss === 'sampled-ce' ? 'sampled-ce (1024)' : String(r.loss));
    const softmaxLabel = (r: BenchResult) => {
      if (r.loss !== 'full-ce') return '-';
      return r.fullSoftmax === 'tfjs' ? 'tfjs ops (before)' : 'SIMD cross-entropy';
    };
    const matmulLabel = (r: BenchResult) =>
      r.matmul === 'xnnpack' ? 'XNNPACK slices (before)' : 'SIMD product';
    return [
      '### Training speed at the reference settings: batch 128, windows of 200, SASRec d 50, 2 blocks (tfjs-wasm, one core)',
      'Random (not length-bucketed) batches, to match the reference: PyTorch SASRec (BCE) took ~0.5 s per batch,',
      '~24 s per ML-1M epoch on one thread of this machine. Epoch = 48 batches; length bucketing (the default in',
      '`tide train`) makes real epochs shorter. The baseline is the way Tide computed before session 8: the full',
      'softmax in tfjs ops with the logits recomputed for the backward pass (bench/full-softmax-tfjs.ts), and the',
      'transposed and batched products as XNNPACK calls on copied, explicitly transposed slices.',
      '',
      '| model | loss | full softmax | transposed / batched products | s / step | s / epoch | peak RSS MiB |',
      '|---|---|---|---|---|---|---|',
      ...results.map(
        (r) =>
          `| ${r.model} | ${lossLabel(r)} | ${softmaxLabel(r)} | ${matmulLabel(r)} | ${Number(r.secondsPerStep).toFixed(2)} | ${Number(r.secondsPerEpoch).toFixed(0)} | ${r.peakRssMiB} |`,
      ),
    ].join('\n');
  },
};
