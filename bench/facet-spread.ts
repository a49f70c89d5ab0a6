/**
 * How distinct a saved facets model's facets are, over the test histories of the first `--users`
 * users: the mean cosine between two facet vectors of one user, the mean largest context weight,
 * and the share of users whose facets all get different labels (their top categories). On a SASRec,
 * its state after the latest events is not a facet: it is left out of those, and its mean weight
 * and mean cosine with the facets are reported beside them.
 * Usage: npx tsx bench/facet-spread.ts --model-dir <dir> [--data <dir>] [--users 1000]
 */
import { basename } from 'node:path';
import { makeSplit } from '../src/cli/commands/eval.js';
import { loadDataset } from '../src/data/dataset.js';
import { openDataSource } from '../src/data/ingest/index.js';
import { PreprocessConfig } from '../src/data/preprocess.js';
import { encoderFor } from '../src/models/neural/families.js';
import { NeuralRecommender } from '../src/models/neural/recommender.js';
import { cosine } from '../src/text/vectors.js';
import { argValue, emit, SHARED_DATA } from './measure.js';

const modelDir = argValue('model-dir', '');
const data = await loadDataset(await openDataSource(argValue('data', `${SHARED_DATA}ml-1m`)), {
  preprocess: PreprocessConfig.parse({}),
});
const { model, manifest } = await NeuralRecommender.load(modelDir, encoderFor);
let cosineSum = 0;
let pairs = 0;
let largestWeightSum = 0;
let distinctLabels = 0;
let latestWeightSum = 0;
let latestCosineSum = 0;
let latestPairs = 0;
const cases = makeSplit(data, 'loo', undefined)
  .cases('test')
  .slice(0, Number(argValue('users', '1000')));
for (const kase of cases) {
  const all = model.interestFacets({ user: kase.user, history: kase.history });
  if (!all) throw new Error(`${modelDir} is a ${manifest.family} model: it has no facets`);
  const facets = all.filter((f) => !f.latest);
  for (const latest of all.filter((f) => f.latest)) {
    latestWeightSum += latest.weight;
    for (const facet of facets) {
      latestCosineSum += cosine(facet.vector, latest.vector);
      latestPairs++;
    }
  }
  largestWeightSum += Math.max(...facets.map((f) => f.weight));
  if (new Set(facets.map((f) => f.label)).size === facets.length) distinctLabels++;
  for (let a = 0; a < facets.length; a++) {
    for (let b = a + 1; b < facets.length; b++, pairs++)
      cosineSum += cosine(facets[a].vector, facets[b].vector);
  }
}
emit({
  bench: 'facet-spread',
  run: basename(modelDir),
  routing: (manifest.config as { routing?: string }).routing ?? 'hard',
  users: cases.length,
  meanPairCosine: cosineSum / pairs,
  meanLargestWeight: largestWeightSum / cases.length,
  allLabelsDistinct: distinctLabels / cases.length,
  ...(latestPairs > 0 && {
    meanLatestWeight: latestWeightSum / cases.length,
    meanLatestCosine: latestCosineSum / latestPairs,
  }),
});
