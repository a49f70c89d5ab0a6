/**
 * Fit + full-ranking evaluation of one model on one data set, in a fresh process; or, with
 * --model-dir, the evaluation of a saved model (trained by `tide train`) without fitting.
 * Usage: npx tsx bench/eval-model.ts --model pop [--data <dir>] [--source sequences|ratings]
 *        [--split loo|temporal] [--protocol full|sampled] [--model-config '{"epochs": 20}']
 *        npx tsx bench/eval-model.ts --model-dir <dir> [--data <dir>]
 */
import { basename } from 'node:path';
import { makeSplit, parseModelConfig } from '../src/cli/commands/eval.js';
import { loadDataset } from '../src/data/dataset.js';
import { openDataSource } from '../src/data/ingest/index.js';
import { PreprocessConfig } from '../src/data/preprocess.js';
import { evaluateModel } from '../src/eval/evaluate.js';
import { encoderFor } from '../src/models/neural/families.js';
import { PretrainedRecommender } from '../src/models/neural/pretrained.js';
import { NeuralRecommender } from '../src/models/neural/recommender.js';
import { createModel } from '../src/training/registry.js';
import { argValue, emit, SHARED_DATA, timed } from './measure.js';

const modelDir = argValue('model-dir', '');
const dir = argValue('data', `${SHARED_DATA}ml-1m`);
/** Only ML-1M offers a choice; elsewhere the source is whatever the folder holds. */
const source = (argValue('source', '') || undefined) as 'sequences' | 'ratings' | undefined;
const protocol = argValue('protocol', 'full') as 'full' | 'sampled';
const load = await timed(async () =>
  loadDataset(await openDataSource(dir, { source }), { preprocess: PreprocessConfig.parse({}) }),
);
const split = makeSplit(load.value, argValue('split', 'loo'), undefined);
const saved = modelDir ? await NeuralRecommender.load(modelDir, encoderFor) : undefined;
const model = saved
  ? new PretrainedRecommender(saved.model, saved.manifest.itemIds, load.value.itemIds.ids())
  : createModel(argValue('model', 'pop'), parseModelConfig(argValue('model-config', '') || undefined));
const { value: report, seconds } = await timed(() => evaluateModel(model, load.value, split, { protocol }));
emit({
  bench: 'eval',
  model: report.model,
  ...(modelDir && { run: basename(modelDir) }),
  training: saved?.manifest.training,
  network: saved?.manifest.config,
  config: report.config,
  dataset: report.dataset,
  source: source ?? 'default',
  split: report.split,
  protocol: report.protocol,
  users: report.users,
  metrics: report.metrics,
  loadSeconds: load.seconds,
  fitSeconds: report.fitSeconds,
  evalSeconds: seconds - report.fitSeconds,
  seconds,
});
