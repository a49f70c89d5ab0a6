/**
 * The time head on a saved model, for its ablations: fitted on the temporal validation cuts with the
 * given trend half-lives, then the test cases ranked with the log replayed after the cut (or not).
 * The model must come from the same data and split, e.g.
 *   node dist/cli/main.js eval --data ../shared/data/ml-1m --source ratings --split temporal \
 *     --model sasrec --model-config '{"timeHead": false, ...}' --save-models ../runs/ts
 * Usage: npx tsx bench/time-head.ts --model-dir ../runs/ts/sasrec [--half-lives '[1,7,30]']
 *        [--replay true|false] [--data <dir>] [--source ratings]
 */
import { makeSplit } from '../src/cli/commands/eval.js';
import { usersPerItem } from '../src/data/corpus.js';
import { loadDataset } from '../src/data/dataset.js';
import { openDataSource } from '../src/data/ingest/index.js';
import { ItemTrend } from '../src/data/item-trend.js';
import { PreprocessConfig } from '../src/data/preprocess.js';
import { evaluateRanking } from '../src/eval/protocol.js';
import { encoderFor } from '../src/models/neural/families.js';
import { NeuralRecommender } from '../src/models/neural/recommender.js';
import { fitModelTimeHead } from '../src/training/time-head.js';
import { argValue, emit } from './measure.js';

const data = await loadDataset(
  await openDataSource(argValue('data', '../shared/data/ml-1m'), {
    source: (argValue('source', 'ratings') || undefined) as 'ratings' | undefined,
  }),
  { preprocess: PreprocessConfig.parse({}) },
);
const split = makeSplit(data, 'temporal', undefined);
const halfLives = JSON.parse(argValue('half-lives', '[1,7,30]')) as number[];
const replay = argValue('replay', 'true') === 'true';
const { model } = await NeuralRecommender.load(argValue('model-dir', ''), encoderFor);
const fitCorpus = split.fitCorpus('test');
const options = {
  replay,
  ks: [10],
  protocol: 'full' as const,
  negatives: 100,
  seed: 42,
  corpus: data,
  usersWithItem: usersPerItem(fitCorpus),
};
const alone = evaluateRanking(model, split.cases('test'), options);
const fit = await fitModelTimeHead(
  model,
  { corpus: split.fitCorpus('valid'), cases: split.cases('valid'), casesCorpus: data },
  halfLives,
  'always',
);
model.useTrend(ItemTrend.fromCorpus(fitCorpus, model.halfLives()));
const withHead = evaluateRanking(model, split.cases('test'), options);
emit({
  bench: 'time-head',
  halfLives,
  replay,
  validation: fit,
  alone: alone.metrics['NDCG@10'],
  withHead: withHead.metrics['NDCG@10'],
  trendShare: withHead.metrics['mean trendShare'],
});
