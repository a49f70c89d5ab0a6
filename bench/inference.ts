/**
 * Serving latency of a saved neural model, plain TypeScript (no tfjs): next-item scores over the
 * whole catalogue for one user with a `--history`-long history, p50/p90/p99 over `--calls` calls.
 * Usage: npx tsx bench/inference.ts --model-dir <dir> [--data <dir>] [--history 200] [--calls 2000]
 *   [--kernels auto|scalar] (the dense kernels: WebAssembly SIMD where available, or the scalar ones)
 */
import { basename } from 'node:path';
import { loadDataset } from '../src/data/dataset.js';
import { openDataSource } from '../src/data/ingest/index.js';
import { PreprocessConfig } from '../src/data/preprocess.js';
import { encoderFor } from '../src/models/neural/families.js';
import { NeuralRecommender } from '../src/models/neural/recommender.js';
import { KernelChoice } from '../src/nn/wasm/kernels.js';
import { argValue, emit, SHARED_DATA, timed } from './measure.js';

const modelDir = argValue('model-dir', '');
if (!modelDir) throw new Error('--model-dir is required');
const historyLength = Number(argValue('history', '200'));
const calls = Number(argValue('calls', '2000'));
const data = await loadDataset(await openDataSource(argValue('data', `${SHARED_DATA}ml-1m`)), {
  preprocess: PreprocessConfig.parse({}),
});
const kernels = KernelChoice.parse(argValue('kernels', 'auto'));
const load = await timed(() => NeuralRecommender.load(modelDir, (family) => encoderFor(family, { kernels })));
const { model, manifest } = load.value;
const users: number[] = [];
for (let u = 0; u < data.nUsers; u++)
  if (data.offsets[u + 1] - data.offsets[u] >= historyLength) users.push(u);
const scores = new Float32Array(manifest.numItems);
const latencies: number[] = [];
for (let call = 0; call < calls + 100; call++) {
  const user = users[call % users.length];
  const history = data.items.subarray(data.offsets[user], data.offsets[user] + historyLength);
  const started = performance.now();
  model.scoreAll({ user: -1, history }, scores);
  if (call >= 100) latencies.push(performance.now() - started);
}
latencies.sort((a, b) => a - b);
const at = (q: number) => latencies[Math.min(latencies.length - 1, Math.floor(q * latencies.length))];
emit({
  bench: 'inference',
  family: manifest.family,
  ...(modelDir && { run: basename(modelDir) }),
  kernels,
  items: manifest.numItems,
  history: historyLength,
  calls,
  loadSeconds: load.seconds,
  p50Ms: at(0.5),
  p90Ms: at(0.9),
  p99Ms: at(0.99),
  meanMs: latencies.reduce((s, v) => s + v, 0) / latencies.length,
});
