/**
 * Seconds per training step (forward + backward + Adam) of a family on ML-1M at the reference
 * settings (batch 128, windows of 200, SASRec d 50), per loss, and the epoch time they imply
 * (48 batches; random batches, not length-bucketed, to match the reference PyTorch runs).
 * `--full-softmax tfjs` computes the full softmax as before the SIMD kernel (bench/full-softmax-tfjs.ts);
 * `--matmul xnnpack` routes the slow products through XNNPACK slices as before the SIMD product.
 * Usage: npx tsx bench/train-step.ts [--model sasrec] [--loss bce] [--full-softmax kernel|tfjs]
 * [--matmul simd|xnnpack] [--steps 6] [--data <dir>]
 */
import * as tf from '@tensorflow/tfjs';
import { Rng } from '../src/core/random.js';
import { loadDataset } from '../src/data/dataset.js';
import { openDataSource } from '../src/data/ingest/index.js';
import { PreprocessConfig } from '../src/data/preprocess.js';
import { leaveOneOut } from '../src/data/split.js';
import { neuralFamily } from '../src/models/neural/families.js';
import { initBackend } from '../src/nn/index.js';
import { registerBatchMatMulFix } from '../src/nn/tfjs-overrides/index.js';
import { epochBatches, trainingBatch, trainingWindows, windowIds } from '../src/training/batches.js';
import { TrainConfig } from '../src/training/config.js';
import { batchLoss } from '../src/training/losses.js';
import { fullSoftmaxTfjs } from './full-softmax-tfjs.js';
import { argValue, emit, SHARED_DATA } from './measure.js';

const name = argValue('model', 'sasrec');
const loss = argValue('loss', 'bce') as TrainConfig['loss'];
const steps = Number(argValue('steps', '6'));
const fullSoftmax = argValue('full-softmax', 'kernel');
if (fullSoftmax !== 'kernel' && fullSoftmax !== 'tfjs') throw new Error('--full-softmax: kernel or tfjs');
const matmul = argValue('matmul', 'simd');
if (matmul !== 'simd' && matmul !== 'xnnpack') throw new Error('--matmul: simd or xnnpack');
const network = name === 'sasrec' ? { dim: 50, maxLength: 200 } : { maxLength: 200 };
await initBackend();
registerBatchMatMulFix(matmul);
const data = await loadDataset(await openDataSource(argValue('data', `${SHARED_DATA}ml-1m`)), {
  preprocess: PreprocessConfig.parse({}),
});
const corpus = leaveOneOut(data).fitCorpus('valid');
const family = await neuralFamily(name)();
const config = family.configSchema.parse(network);
const net = family.createNetwork(config, corpus.nItems, 1);
const train = TrainConfig.parse({ loss, negatives: 1024 });
const optimizer = tf.train.adam(0.001);
const rng = new Rng(1);
const windows = trainingWindows(corpus, 200, 'last');
const batches = epochBatches(windowIds(windows), 128, 1, 0);
const options = { maxLength: 200, batchSize: 128, withTimeGaps: false, withTypes: false };
const times: number[] = [];
for (let step = 0; step < steps + 2; step++) {
  const batch = trainingBatch(corpus, windows, batches[step % batches.length], options);
  const started = performance.now();
  const value = optimizer.minimize(
    () => batchLoss(net, batch, train, rng, fullSoftmax === 'tfjs' ? fullSoftmaxTfjs : undefined),
    true,
    [...net.variables.values()],
  );
  await value?.data();
  value?.dispose();
  if (step >= 2) times.push((performance.now() - started) / 1000);
}
const perStep = times.reduce((s, t) => s + t, 0) / times.length;
emit({
  bench: 'train-step',
  model: name,
  loss,
  fullSoftmax: loss === 'full-ce' ? fullSoftmax : undefined,
  matmul,
  config: network,
  steps,
  secondsPerStep: perStep,
  secondsPerEpoch: perStep * batches.length,
  batchesPerEpoch: batches.length,
});
