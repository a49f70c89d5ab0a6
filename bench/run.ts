/**
 * Runs a benchmark suite, each job in a fresh process (so peak memory is its own), and rewrites the
 * suite's section of BENCHMARKS.md with the figures, the machine and the command.
 * Usage: npm run bench -- [foundation] [--dry] [job flags]   (--dry prints the section instead of
 * writing it; any other flags, e.g. `--model-dir ../runs/sasrec-ml1m-s2`, are passed to every job)
 */
import { execFile } from 'node:child_process';
import { readFile, writeFile } from 'node:fs/promises';
import { cpus, totalmem } from 'node:os';
import { promisify } from 'node:util';
import { TerminalProgress } from '../src/cli/progress-bar.js';
import { ENGINE_LARGE } from './engine-large.js';
import type { BenchResult } from './measure.js';
import { SERVER } from './server.js';
import { SOAK } from './soak.js';
import { DRIFT } from './suites/drift.js';
import { FOUNDATION } from './suites/foundation.js';
import { NEURAL } from './suites/neural.js';
import { RATINGS } from './suites/ratings.js';
import { STORE_TRAINING } from './suites/store-training.js';
import { TEMPORAL } from './suites/temporal.js';
import { TRAIN_SPEED } from './suites/train-speed.js';
import { VECTOR_INDEX } from './suites/vector-index.js';
import { TEXT } from './text-encoders.js';
import { TWO_SERVERS } from './two-servers.js';
import { WRITE_LOAD } from './write-load.js';

const run = promisify(execFile);
const ROOT = new URL('../', import.meta.url).pathname;

export interface Job {
  script: string;
  args: string[];
}

export interface Suite {
  name: string;
  jobs: Job[];
  /** Markdown for the suite's section, from the jobs' results in order. */
  render(results: BenchResult[]): string;
}

const SUITES: Record<string, Suite> = {
  foundation: FOUNDATION,
  neural: NEURAL,
  server: SERVER,
  'vector-index': VECTOR_INDEX,
  'train-speed': TRAIN_SPEED,
  'engine-large': ENGINE_LARGE,
  text: TEXT,
  temporal: TEMPORAL,
  'store-training': STORE_TRAINING,
  ratings: RATINGS,
  drift: DRIFT,
  'write-load': WRITE_LOAD,
  'two-servers': TWO_SERVERS,
  soak: SOAK,
};

const cliArgs = process.argv.slice(2);
const suiteName = cliArgs[0] && !cliArgs[0].startsWith('--') ? cliArgs[0] : 'foundation';
const jobFlags = cliArgs.slice(suiteName === cliArgs[0] ? 1 : 0).filter((a) => a !== '--dry');
const suite = SUITES[suiteName];
if (!suite) throw new Error(`unknown suite "${suiteName}"; one of ${Object.keys(SUITES).join(', ')}`);

const progress = new TerminalProgress();
progress.start(`bench ${suite.name}`, suite.jobs.length);
const results: BenchResult[] = [];
for (const job of suite.jobs) {
  results.push(await runJob(job));
  progress.tick(1, { last: `${job.script.replace('bench/', '')} ${job.args.join(' ')}`.slice(0, 40) });
}
progress.done();

/**
 * One job in a fresh process: its last stdout line, or, when it fails, a result saying so (in the
 * job's place, so that the suite's other figures are still written).
 */
async function runJob(job: Job): Promise<BenchResult> {
  try {
    const { stdout } = await run('node', ['--import', 'tsx', job.script, ...job.args, ...jobFlags], {
      cwd: ROOT,
      maxBuffer: 64 * 1024 * 1024,
    });
    return JSON.parse(stdout.trim().split('\n').at(-1) ?? '{}') as BenchResult;
  } catch (error) {
    const stderr = String((error as { stderr?: string }).stderr ?? error);
    const message = stderr.match(/^\w*Error: (.*)$/m)?.[1] ?? stderr.split('\n')[0];
    process.stderr.write(`\n${job.script} ${job.args.join(' ')} failed: ${message}\n`);
    return { bench: 'failed', error: message, args: job.args };
  }
}

const machine = `${cpus().length} cores (${cpus()[0]?.model ?? 'unknown CPU'}), ${(totalmem() / 2 ** 30).toFixed(0)} GiB, Node ${process.version}`;
/** The command as typed, less any password in a store URL. */
const command = [suite.name, ...jobFlags].join(' ').replace(/(\/\/[^:/@\s]+:)[^@\s]+@/g, '$1***@');
const section = [
  `<!-- ${suite.name}:start -->`,
  `Measured ${new Date().toISOString().slice(0, 10)} on ${machine}, by \`npm run bench -- ${command}\`.`,
  '',
  suite.render(results),
  `<!-- ${suite.name}:end -->`,
].join('\n');

if (process.argv.includes('--dry')) {
  process.stdout.write(`${section}\n`);
} else {
  const path = `${ROOT}BENCHMARKS.md`;
  const current = await readFile(path, 'utf8').catch(() => '# Benchmarks\n');
  const pattern = new RegExp(`<!-- ${suite.name}:start -->[\\s\\S]*?<!-- ${suite.name}:end -->`);
  const next = pattern.test(current)
    ? current.replace(pattern, section)
    : `${current.trimEnd()}\n\n${section}\n`;
  await writeFile(path, next);
  process.stdout.write(`wrote the ${suite.name} section of BENCHMARKS.md\n`);
}
