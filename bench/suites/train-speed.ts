import type { BenchResult } from '../measure.js';
import type { Suite } from '../run.js';

const ML1M = ['--data', '../shared/data/ml-1m'];

/** One train-step job: a family and loss, the full softmax computed the current way or the previous one. */
const step = (model: string, loss: string, fullSoftmax = 'kernel') => ({
  script: 'bench/train-step.ts',
  args: ['--model', model, '--loss', loss, '--full-softmax', fullSoftmax, ...ML1M],
});

/**
 * Seconds per training step at the reference settings, per loss; the full softmax also the way Tide
 * computed it before its SIMD cross-entropy kernel, as the baseline measured in the same run.
 */
export const TRAIN_SPEED: Suite = {
  name: 'train-speed',
  jobs: [
    step('sasrec', 'bce'),
    step('sasrec', 'sampled-ce'),
    step('sasrec', 'full-ce', 'tfjs'),
    step('sasrec', 'full-ce'),
    step('gru', 'full-ce', 'tfjs'),
    step('gru', 'full-ce'),
  ],
  render(results: BenchResult[]) {
    const lossLabel = (r: BenchResult) => {
      if (r.loss === 'sampled-ce') return 'sampled-ce (1024)';
      if (r.loss !== 'full-ce') return String(r.loss);
      return r.fullSoftmax === 'tfjs' ? 'full-ce, previous (tfjs ops)' : 'full-ce, SIMD cross-entropy kernel';
    };
    return [
      '### Training speed at the reference settings: batch 128, windows of 200, SASRec d 50, 2 blocks (tfjs-wasm, one core)',
      'Random (not length-bucketed) batches, to match the reference: PyTorch SASRec (BCE) took ~0.5 s per batch,',
      '~24 s per ML-1M epoch on one thread of this machine. Epoch = 48 batches; length bucketing (the default in',
      '`tide train`) makes real epochs shorter. The full softmax the previous way (bench/full-softmax-tfjs.ts:',
      'every elementwise step a tfjs op, the logits recomputed for the backward pass) is the baseline.',
      '',
      '| model | loss | s / step | s / epoch | peak RSS MiB |',
      '|---|---|---|---|---|',
      ...results.map(
        (r) =>
          `| ${r.model} | ${lossLabel(r)} | ${Number(r.secondsPerStep).toFixed(2)} | ${Number(r.secondsPerEpoch).toFixed(0)} | ${r.peakRssMiB} |`,
      ),
    ].join('\n');
  },
};
