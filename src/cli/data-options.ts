import type { TideConfig } from '../config/config.js';
import { TideError } from '../core/errors.js';
import { type Dataset, loadDataset } from '../data/dataset.js';
import { openDataSource } from '../data/ingest/index.js';
import { PreprocessConfig } from '../data/preprocess.js';
import { Pseudonymiser } from '../data/pseudonym.js';
import type { DataSource } from '../data/source.js';
import { generateWorld, worldSource } from '../data/synthetic/index.js';
import { storeDataSource } from '../storage/data-source.js';
import { openStore } from '../storage/open.js';
import type { Flags } from './flags.js';
import { TerminalProgress } from './progress-bar.js';

/** The data flags every command that reads data shares. */
export const DATA_FLAGS = {
  data: { type: 'string' },
  store: { type: 'string' },
  source: { type: 'string' },
  'skip-invalid': { type: 'boolean' },
  pseudonymise: { type: 'boolean' },
  'min-item': { type: 'string' },
  'min-user': { type: 'string' },
  duplicates: { type: 'string' },
  config: { type: 'string' },
} as const;

export const DATA_HELP = `  --data <dir|file>      data folder or events file (MovieLens ml-1m / ml-100k / ml-latest-small,
                         or events.csv|jsonl[.gz] + items.csv|jsonl[.gz]); 'synthetic' for the demo world
  --store <url>          instead of --data: a store's catalogue and event log (sqlite://..., postgres://...)
  --source sequences|ratings   ml-1m: ordered sequences (all users) or the timestamped ratings file
  --skip-invalid         skip and count bad rows instead of stopping at the first
  --pseudonymise         replace user ids by a keyed HMAC (key: TIDE_PSEUDONYM_KEY)
  --min-item N, --min-user N   k-core thresholds (default 5 and 5, one pass as SASRec)
  --duplicates keep|first|last|collapse-consecutive   repeated user-item events (default keep)
  --config <file>        JSON config (see README); flags override it`;

/** Opens the source named by --data and preprocesses it with config + flags. */
export async function loadDataFromFlags(flags: Flags, config: TideConfig): Promise<Dataset> {
  const dataPath = flags.string('data');
  const storeUrl = flags.string('store');
  if (!dataPath && !storeUrl)
    throw new TideError(
      'CONFIG',
      '--data is required (a data folder or file, or "synthetic"), or --store <url>',
    );
  const store = storeUrl && !dataPath ? await openStore(storeUrl) : null;
  try {
    const source = store
      ? storeDataSource(store)
      : await openSource(dataPath!, flags.string('source'), config.seed);
    return await loadFrom(source, flags, config);
  } finally {
    await store?.close();
  }
}

async function loadFrom(source: DataSource, flags: Flags, config: TideConfig): Promise<Dataset> {
  const preprocess = PreprocessConfig.parse({
    ...config.preprocess,
    ...(flags.string('min-item') !== undefined && { minItemEvents: flags.integer('min-item') }),
    ...(flags.string('min-user') !== undefined && { minUserEvents: flags.integer('min-user') }),
    ...(flags.string('duplicates') !== undefined && { duplicates: flags.string('duplicates') }),
  });
  const pseudonymise = flags.boolean('pseudonymise') || config.pseudonymise;
  const dataset = await loadDataset(source, {
    preprocess,
    skipInvalid: flags.boolean('skip-invalid'),
    pseudonymiser: pseudonymise ? Pseudonymiser.fromKeyOrEnv(config.pseudonymKey) : undefined,
    progress: new TerminalProgress(),
  });
  if (dataset.report.invalidRows > 0) {
    process.stderr.write(
      `skipped ${dataset.report.invalidRows} invalid rows; first: ${dataset.report.invalidExamples.join(' | ')}\n`,
    );
  }
  return dataset;
}

async function openSource(dataPath: string, source: string | undefined, seed: number): Promise<DataSource> {
  if (dataPath === 'synthetic') return worldSource(generateWorld({ seed }));
  if (source !== undefined && source !== 'sequences' && source !== 'ratings') {
    throw new TideError('CONFIG', `--source must be "sequences" or "ratings", got "${source}"`);
  }
  return openDataSource(dataPath, { source });
}
