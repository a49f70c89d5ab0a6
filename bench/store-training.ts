/**
 * A model trained from a store's event log, as `tide train --store` and `tide worker` train it: the
 * data set goes into a store through the first import of `tide serve --data`, the model learns from
 * the events before a time cut and is tested on the events after it. `--validation latest` stops early
 * on the latest slice before the cut (the store's default); `loo` on each user's second last event
 * before it, as a model trained on a data folder with leave-one-out holdouts would.
 * Usage: npx tsx bench/store-training.ts --validation latest|loo [--data <dir> (ML-100K)] [--source ratings]
 *        [--store sqlite://... | postgres://...] [--cut 0.9] [--model sasrec] [--model-config '{...}']
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { makeSplit, parseModelConfig } from '../src/cli/commands/eval.js';
import { trainModel } from '../src/cli/commands/train.js';
import { importData } from '../src/cli/import-data.js';
import { silentProgress } from '../src/core/progress.js';
import { loadDataset } from '../src/data/dataset.js';
import { PreprocessConfig } from '../src/data/preprocess.js';
import { storeDataSource } from '../src/storage/data-source.js';
import { openStore } from '../src/storage/open.js';
import { splitTrainingKeys, TrainConfig } from '../src/training/config.js';
import { argValue, emit, SHARED_DATA, timed } from './measure.js';

const validation = argValue('validation', 'latest');
const data = argValue('data', `${SHARED_DATA}ml-100k`);
const source = argValue('source', '') || undefined;
const name = argValue('model', 'sasrec');
const work = await mkdtemp(join(tmpdir(), 'tide-store-training-'));
const store = await openStore(argValue('store', `sqlite://${join(work, 'store.db')}`));
try {
  const imported = await timed(() => importData(store, data, source, silentProgress, () => {}));
  const dataset = await loadDataset(storeDataSource(store), { preprocess: PreprocessConfig.parse({}) });
  const split = makeSplit(dataset, 'temporal', argValue('cut', '0.9'), validation);
  const { training, network } = splitTrainingKeys(
    parseModelConfig(argValue('model-config', '') || undefined),
  );
  const { model, report } = await trainModel({
    name,
    network,
    training: TrainConfig.parse(training),
    dataset,
    split,
    out: join(work, 'model'),
  });
  const trained = model.trainReport;
  emit({
    bench: 'store-training',
    model: report.model,
    validation,
    store: store.url.replace(/^(\w+:\/\/)[^@]*@/, '$1').replace(work, '<tmp>'),
    events: dataset.items.length,
    split: report.split,
    users: report.users,
    metrics: report.metrics,
    epochs: trained?.epochs,
    bestEpoch: trained?.bestEpoch,
    bestValidation: trained?.bestValidation?.['NDCG@10'],
    importSeconds: imported.seconds,
    fitSeconds: report.fitSeconds,
  });
} finally {
  await store.close();
  await rm(work, { recursive: true, force: true });
}
