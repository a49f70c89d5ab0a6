/**
 * Seconds per training step of the reference PyTorch SASRec (bench/torch/sasrec_step.py) at the
 * settings of bench/train-step.ts, so that the train-speed suite measures both in one run. Installs
 * Debian's PyTorch on OpenBLAS first when it is missing (bench/torch/ensure-torch.sh, whose report
 * goes to stderr), then passes the Python script's JSON line through.
 * Usage: npx tsx bench/torch-step.ts [--loss bce|full-ce|sampled-ce] [--threads 1] [--steps 6] [--data <dir>]
 */
import { spawnSync } from 'node:child_process';
import { argValue, type BenchResult, SHARED_DATA } from './measure.js';

const TORCH_DIR = new URL('./torch/', import.meta.url).pathname;
/** Debian's interpreter, which python3-torch installs into (a pyenv python3 may come first on PATH). */
const PYTHON = '/usr/bin/python3';

const ensure = spawnSync('sh', [`${TORCH_DIR}ensure-torch.sh`], { stdio: ['ignore', 2, 'inherit'] });
if (ensure.status !== 0) throw new Error(`bench/torch/ensure-torch.sh failed (exit ${ensure.status})`);

const step = spawnSync(
  PYTHON,
  [
    `${TORCH_DIR}sasrec_step.py`,
    ...['--loss', argValue('loss', 'bce'), '--threads', argValue('threads', '1')],
    ...['--steps', argValue('steps', '6'), '--data', argValue('data', `${SHARED_DATA}ml-1m`)],
  ],
  { stdio: ['ignore', 'pipe', 'inherit'], encoding: 'utf8', maxBuffer: 16 * 1024 * 1024 },
);
if (step.status !== 0) throw new Error(`bench/torch/sasrec_step.py failed (exit ${step.status})`);
const result = JSON.parse(step.stdout.trim().split('\n').at(-1) ?? '{}') as BenchResult;
// The Python process's own peak RSS, not this one's: written as is rather than through emit().
process.stdout.write(`${JSON.stringify(result)}\n`);
