/**
 * GFLOP/s of tfjs-wasm matMul, stock kernel vs Tide's patched BatchMatMul (src/nn/tfjs-overrides/batch-matmul.ts),
 * on the products a GRU4Rec / SASRec training step makes. Prints a markdown table.
 *
 * Run: npx tsx bench/nn-matmul.ts
 */
import * as tf from '@tensorflow/tfjs';
import {
  initBackend,
  maxAbsDifference,
  registerBatchMatMulFix,
  unregisterBatchMatMulFix,
} from '../src/nn/index.js';

interface ProductCase {
  label: string;
  aShape: number[];
  bShape: number[];
  transposeA: boolean;
  transposeB: boolean;
}

const SECONDS_PER_MEASUREMENT = 1;

function flops({ aShape, bShape, transposeA, transposeB }: ProductCase): number {
  const rank = aShape.length;
  const batch = aShape.slice(0, -2).reduce((p, d) => p * d, 1);
  const m = transposeA ? aShape[rank - 1] : aShape[rank - 2];
  const k = transposeA ? aShape[rank - 2] : aShape[rank - 1];
  const n = transposeB ? bShape[bShape.length - 2] : bShape[bShape.length - 1];
  return 2 * batch * m * k * n;
}

interface Measurement {
  gflops: number;
  output: Float32Array;
}

/** Seconds of CPU time this process spent (user + system): the kernels run on one thread, and CPU time
 * is far less disturbed than wall time by other jobs on a shared machine. */
function cpuSeconds(): number {
  const { user, system } = process.cpuUsage();
  return (user + system) / 1e6;
}

/** Median GFLOP/s per CPU-second over repeated calls (at least 3, about SECONDS_PER_MEASUREMENT in all). */
function measure(c: ProductCase, a: tf.Tensor, b: tf.Tensor): Measurement {
  const run = () => tf.matMul(a, b, c.transposeA, c.transposeB);
  const warm = run();
  const output = warm.dataSync() as Float32Array;
  warm.dispose();
  const seconds: number[] = [];
  const deadline = performance.now() + SECONDS_PER_MEASUREMENT * 1000;
  while (seconds.length < 3 || performance.now() < deadline) {
    const start = cpuSeconds();
    run().dispose(); // wasm kernels run synchronously; reading the output back would be timed too
    seconds.push(cpuSeconds() - start);
  }
  seconds.sort((x, y) => x - y);
  return { gflops: flops(c) / seconds[Math.floor(seconds.length / 2)] / 1e9, output };
}

const CASES: ProductCase[] = [
  {
    label: '[128x64]x[64x3416]',
    aShape: [128, 64],
    bShape: [64, 3416],
    transposeA: false,
    transposeB: false,
  },
  { label: 'same, transposeA', aShape: [64, 128], bShape: [64, 3416], transposeA: true, transposeB: false },
  { label: 'same, transposeB', aShape: [128, 64], bShape: [3416, 64], transposeA: false, transposeB: true },
  { label: 'same, transposeA+B', aShape: [64, 128], bShape: [3416, 64], transposeA: true, transposeB: true },
  {
    label: 'backward dW: [128x64]^T x [128x3416]',
    aShape: [128, 64],
    bShape: [128, 3416],
    transposeA: true,
    transposeB: false,
  },
  {
    label: 'backward dx: [128x3416] x [64x3416]^T',
    aShape: [128, 3416],
    bShape: [64, 3416],
    transposeA: false,
    transposeB: true,
  },
  {
    label: 'attention [256,200,32]x[256,32,200]',
    aShape: [256, 200, 32],
    bShape: [256, 32, 200],
    transposeA: false,
    transposeB: false,
  },
  {
    label: 'attention QK^T [256,200,32]x[256,200,32]^T',
    aShape: [256, 200, 32],
    bShape: [256, 200, 32],
    transposeA: false,
    transposeB: true,
  },
];

async function main(): Promise<void> {
  await initBackend();
  console.log('| product | stock GFLOP/s | patched GFLOP/s | speed-up | max abs diff |');
  console.log('|---|---:|---:|---:|---:|');
  for (const c of CASES) {
    const a = tf.randomNormal(c.aShape);
    const b = tf.randomNormal(c.bShape);
    // Alternate the kernels and keep each one's best median: the machine is shared with other jobs.
    let stock: Measurement = { gflops: 0, output: new Float32Array() };
    let patched: Measurement = stock;
    for (let round = 0; round < 2; round++) {
      unregisterBatchMatMulFix();
      const stockRound = measure(c, a, b);
      registerBatchMatMulFix();
      const patchedRound = measure(c, a, b);
      if (stockRound.gflops > stock.gflops) stock = stockRound;
      if (patchedRound.gflops > patched.gflops) patched = patchedRound;
    }
    const diff = maxAbsDifference(stock.output, patched.output);
    const row = [
      c.label,
      stock.gflops.toFixed(2),
      patched.gflops.toFixed(2),
      `${(patched.gflops / stock.gflops).toFixed(1)}x`,
      diff.toExponential(1),
    ];
    console.log(`| ${row.join(' | ')} |`);
    tf.dispose([a, b]);
  }
}

await main();
