/**
 * Text encoder throughput on the ML-1M item texts ("Toy Story (1995). Animation, Children's, Comedy").
 * use-lite: the bundled model on tfjs-wasm, one thread. openai-compatible: against a loopback server
 * in this process that answers fixed vectors, so its figure is transport overhead only (HTTP + JSON).
 * Usage: npx tsx bench/text-encoders.ts [--encoder use-lite|openai-compatible] [--data <dir>] [--limit N]
 * Without --encoder it measures both and prints a markdown table; with it, one JSON line (bench/run.ts).
 */
import { pathToFileURL } from 'node:url';
import type { Item } from '../src/core/types.js';
import { openDataSource } from '../src/data/ingest/index.js';
import { createTextEncoder } from '../src/text/encoder.js';
import { itemText } from '../src/text/item-text.js';
import { fixedReply, startEmbeddingServer } from '../test/fixtures/embedding-server.js';
import { argValue, type BenchResult, emit, SHARED_DATA, timed } from './measure.js';
import type { Suite } from './run.js';

const ENCODERS = ['use-lite', 'openai-compatible'] as const;
type EncoderName = (typeof ENCODERS)[number];
const WARM_UP = 64;

async function itemTexts(dataPath: string, limit: number): Promise<string[]> {
  const items: Item[] = [];
  for await (const batch of (await openDataSource(dataPath)).items()) items.push(...batch);
  return items.slice(0, limit).map((item) => itemText(item));
}

/** Loads the encoder, warms it up, then embeds every text once, timing wall and CPU. */
export async function measure(name: EncoderName, texts: string[]): Promise<BenchResult> {
  const server = name === 'openai-compatible' ? await startEmbeddingServer(fixedReply(512)) : undefined;
  try {
    const config =
      name === 'use-lite'
        ? { provider: name }
        : { provider: name, baseUrl: server!.baseUrl, model: 'fixed', dim: 512, batchSize: 64 };
    const load = await timed(() => createTextEncoder(config));
    const encoder = load.value;
    await encoder.embed(texts.slice(0, WARM_UP));
    const cpuBefore = process.cpuUsage();
    const run = await timed(() => encoder.embed(texts));
    const cpu = process.cpuUsage(cpuBefore);
    const cpuSeconds = (cpu.user + cpu.system) / 1e6;
    return {
      bench: 'text-encoder',
      encoder: name,
      id: encoder.id,
      dim: encoder.dim,
      sentences: texts.length,
      meanChars: texts.reduce((sum, t) => sum + t.length, 0) / texts.length,
      loadSeconds: load.seconds,
      seconds: run.seconds,
      sentencesPerSecond: texts.length / run.seconds,
      sentencesPerCpuSecond: texts.length / cpuSeconds,
    };
  } finally {
    await server?.close();
  }
}

function render(results: BenchResult[]): string {
  const n = (x: unknown, digits: number) => (typeof x === 'number' ? x.toFixed(digits) : '-');
  const label = (r: BenchResult) =>
    r.encoder === 'openai-compatible'
      ? 'openai-compatible (loopback server, fixed vectors: transport overhead only)'
      : String(r.id);
  return [
    `### Text encoders on the ML-1M item texts (${results[0]?.sentences ?? '?'} texts, ~${n(results[0]?.meanChars, 0)} characters)`,
    'One process, after a warm-up; sentences per CPU-second is the steadier figure on a shared machine.',
    '',
    '| encoder | dim | load s | sentences/s | sentences per CPU-second | seconds |',
    '|---|---|---|---|---|---|',
    ...results.map(
      (r) =>
        `| ${label(r)} | ${r.dim} | ${n(r.loadSeconds, 2)} | ${n(r.sentencesPerSecond, 0)} | ${n(r.sentencesPerCpuSecond, 0)} | ${n(r.seconds, 1)} |`,
    ),
  ].join('\n');
}

const ML1M = ['--data', '../shared/data/ml-1m'];

/** `npm run bench -- text`: both encoders, each in a fresh process. */
export const TEXT: Suite = {
  name: 'text',
  jobs: ENCODERS.map((encoder) => ({
    script: 'bench/text-encoders.ts',
    args: ['--encoder', encoder, ...ML1M],
  })),
  render,
};

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const texts = await itemTexts(argValue('data', `${SHARED_DATA}ml-1m`), Number(argValue('limit', '100000')));
  const only = argValue('encoder', '');
  if (only) {
    if (!(ENCODERS as readonly string[]).includes(only))
      throw new Error(`--encoder must be one of ${ENCODERS}`);
    emit(await measure(only as EncoderName, texts));
  } else {
    const results: BenchResult[] = [];
    for (const name of ENCODERS) results.push(await measure(name, texts));
    process.stdout.write(`${render(results)}\n`);
  }
}
