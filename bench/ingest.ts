/**
 * Reading + preprocessing a data set (default ML-1M sequences), cold, in a fresh process.
 * Usage: npx tsx bench/ingest.ts [--data <dir>] [--source sequences|ratings]
 */
import { loadDataset } from '../src/data/dataset.js';
import { openDataSource } from '../src/data/ingest/index.js';
import { PreprocessConfig } from '../src/data/preprocess.js';
import { argValue, emit, SHARED_DATA, timed } from './measure.js';

const dir = argValue('data', `${SHARED_DATA}ml-1m`);
/** Only ML-1M offers a choice; elsewhere the source is whatever the folder holds. */
const source = (argValue('source', '') || undefined) as 'sequences' | 'ratings' | undefined;
const { value: data, seconds } = await timed(async () =>
  loadDataset(await openDataSource(dir, { source }), { preprocess: PreprocessConfig.parse({}) }),
);
emit({
  bench: 'ingest',
  dataset: data.name,
  format: data.format,
  users: data.nUsers,
  items: data.nItems,
  events: data.items.length,
  rawEvents: data.report.rawEvents,
  seconds,
});
