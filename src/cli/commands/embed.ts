import { TideError } from '../../core/errors.js';
import type { Item } from '../../core/types.js';
import { openDataSource } from '../../data/ingest/index.js';
import { EmbeddingCache } from '../../text/cache.js';
import type { TextEncoderConfigInput } from '../../text/config.js';
import { embedWithCache } from '../../text/embed-with-cache.js';
import { createTextEncoder } from '../../text/encoder.js';
import { DEFAULT_ITEM_TEMPLATE, itemText, parseItemTemplate } from '../../text/item-text.js';
import { Flags } from '../flags.js';
import { TerminalProgress } from '../progress-bar.js';

export const EMBED_HELP = `tide embed --data <dir> [--encoder use-lite|openai-compatible|local-onnx] [options]

Embeds the text of every catalogue item (title, categories, tags, description) with a text
encoder, through an embedding cache: texts already cached for this encoder are not embedded again,
and an interrupted run resumes where it stopped. The default encoder, use-lite (Universal Sentence
Encoder lite, 512 dims), ships with Tide and runs offline.

  --data <dir|file>      data folder or events file with a catalogue (e.g. MovieLens ml-1m)
  --encoder NAME         use-lite (default) | openai-compatible | local-onnx
  --base-url URL         openai-compatible: the server; {URL}/v1/embeddings is called
  --model NAME           openai-compatible: the model name to send
  --api-key-env NAME     openai-compatible: environment variable holding the API key (none by default)
  --dim N                openai-compatible: expected vector size (default: learned from the server)
  --onnx-dir <dir>       local-onnx: sentence-transformers folder (config.json, tokenizer.json, onnx/)
  --batch-size N         texts per encoder call (default: the encoder's)
  --cache <file>         SQLite embedding cache (default ./tide-embeddings.db)
  --template TEXT        item text template (default "${DEFAULT_ITEM_TEMPLATE}");
                         {id} {title} {categories} {tags} {text} {attributes.<name>}
  --json                 print the summary as one JSON object`;

/** Reads the encoder flags into an encoder config (validated by createTextEncoder). */
function encoderConfig(flags: Flags): TextEncoderConfigInput {
  const provider = flags.string('encoder') ?? 'use-lite';
  const batchSize =
    flags.string('batch-size') === undefined ? {} : { batchSize: flags.integer('batch-size') };
  switch (provider) {
    case 'use-lite':
      return { provider, ...batchSize };
    case 'openai-compatible':
      return {
        provider,
        baseUrl: required(flags, 'base-url', provider),
        model: required(flags, 'model', provider),
        ...(flags.string('api-key-env') !== undefined && { apiKeyEnv: flags.string('api-key-env') }),
        ...(flags.string('dim') !== undefined && { dim: flags.integer('dim') }),
        ...batchSize,
      };
    case 'local-onnx':
      return { provider, dir: required(flags, 'onnx-dir', provider), ...batchSize };
    default:
      throw new TideError(
        'CONFIG',
        `--encoder must be use-lite, openai-compatible or local-onnx, got "${provider}"`,
      );
  }
}

function required(flags: Flags, name: string, provider: string): string {
  const value = flags.string(name);
  if (value === undefined) throw new TideError('CONFIG', `--${name} is required with --encoder ${provider}`);
  return value;
}

async function readCatalogue(dataPath: string): Promise<Item[]> {
  const source = await openDataSource(dataPath);
  const items: Item[] = [];
  for await (const batch of source.items()) items.push(...batch);
  if (items.length === 0) throw new TideError('NOT_FOUND', `${dataPath}: the data set has no item catalogue`);
  return items;
}

export async function embedCommand(args: string[]): Promise<void> {
  const flags = Flags.parse(args, {
    data: { type: 'string' },
    encoder: { type: 'string' },
    'base-url': { type: 'string' },
    model: { type: 'string' },
    'api-key-env': { type: 'string' },
    dim: { type: 'string' },
    'onnx-dir': { type: 'string' },
    'batch-size': { type: 'string' },
    cache: { type: 'string' },
    template: { type: 'string' },
    json: { type: 'boolean' },
  });
  const dataPath = flags.string('data');
  if (!dataPath) throw new TideError('CONFIG', '--data is required (a data folder or file with a catalogue)');
  const template = parseItemTemplate(flags.string('template') ?? DEFAULT_ITEM_TEMPLATE);
  const config = encoderConfig(flags);
  const items = await readCatalogue(dataPath);
  const texts = items.map((item) => itemText(item, template));

  const loadStarted = performance.now();
  const encoder = await createTextEncoder(config);
  const loadSeconds = (performance.now() - loadStarted) / 1000;
  const cachePath = flags.string('cache') ?? './tide-embeddings.db';
  const cache = EmbeddingCache.open(cachePath);
  try {
    const started = performance.now();
    const result = await embedWithCache(encoder, cache, texts, {
      progress: new TerminalProgress(),
      label: 'embed',
    });
    const seconds = (performance.now() - started) / 1000;
    const summary = {
      dataset: dataPath,
      items: items.length,
      embedded: result.computed,
      cached: result.cached,
      encoder: encoder.id,
      dim: encoder.dim,
      cache: cachePath,
      cachedForEncoder: cache.count(encoder.id),
      loadSeconds,
      seconds,
      sentencesPerSecond: result.computed > 0 ? result.computed / seconds : null,
    };
    printSummary(summary, flags.boolean('json'));
  } finally {
    cache.close();
  }
}

function printSummary(summary: Record<string, string | number | null>, json: boolean): void {
  if (json) {
    process.stdout.write(`${JSON.stringify(summary)}\n`);
    return;
  }
  const width = Math.max(...Object.keys(summary).map((k) => k.length));
  for (const [key, value] of Object.entries(summary)) {
    const shown =
      value === null
        ? '-'
        : typeof value === 'number'
          ? Number.isInteger(value)
            ? value.toLocaleString('en-US')
            : value.toFixed(2)
          : value;
    process.stdout.write(`${key.padEnd(width)}  ${shown}\n`);
  }
}
