/**
 * Tide's public library API. The CLI (`tide`) is built from these same pieces.
 *
 * @example
 * import { createModel, evaluateModel, leaveOneOut, loadDataset, openDataSource, PreprocessConfig } from 'tide';
 * const data = await loadDataset(await openDataSource('data/ml-1m'), { preprocess: PreprocessConfig.parse({}) });
 * const report = await evaluateModel(createModel('markov'), data, leaveOneOut(data));
 * console.log(report.metrics['NDCG@10']);
 */
export { loadConfig, TideConfig } from './config/config.js';
export { type InputLocation, invalidField, TideError, type TideErrorCode } from './core/errors.js';
export { type ProgressMetrics, type ProgressReporter, silentProgress } from './core/progress.js';
export { Rng } from './core/random.js';
export * from './core/types.js';
export { itemEventCounts, type SequenceCorpus, userItems, userLength, usersPerItem } from './data/corpus.js';
export { type Dataset, type LoadOptions, type LoadReport, loadDataset } from './data/dataset.js';
export { IdMap } from './data/id-map.js';
export {
  CsvEventMapping,
  CsvItemMapping,
  csvEvents,
  csvItems,
  DataSourceOptions,
  JsonlEventMapping,
  JsonlItemMapping,
  jsonlEvents,
  jsonlItems,
  openDataSource,
  readLines,
} from './data/ingest/index.js';
export { memorySource } from './data/memory-source.js';
export { PreprocessConfig, type PreprocessReport } from './data/preprocess.js';
export { PSEUDONYM_KEY_ENV, Pseudonymiser } from './data/pseudonym.js';
export type { DataSource, ReadOptions } from './data/source.js';
export {
  type EvalCase,
  leaveOneOut,
  prefixCorpus,
  type Split,
  type Stage,
  type TemporalCut,
  temporalSplit,
  timeAtFraction,
} from './data/split.js';
export {
  type GroundTruth,
  generateWorld,
  topicShareBeforeAfter,
  type World,
  WorldConfig,
  worldSource,
  writeWorld,
} from './data/synthetic/index.js';
export * from './eval/beyond-accuracy.js';
export { type EvalReport, type EvaluateOptions, evaluateModel } from './eval/evaluate.js';
export * from './eval/metrics.js';
export {
  evaluateRanking,
  type RankingOptions,
  type RankingProtocol,
  type RankingResult,
} from './eval/protocol.js';
export { evaluateRatings } from './eval/rating.js';
export { formatReportTable } from './eval/report.js';
export * from './eval/tie-aware.js';
export { BiasConfig, BiasModel } from './models/bias/index.js';
export { ItemKnnConfig, ItemKnnModel } from './models/itemknn/index.js';
export { MarkovConfig, MarkovModel } from './models/markov/index.js';
export { BprConfig, BprModel, RatingMfConfig, RatingMfModel } from './models/mf/index.js';
export type { FitData, FitReport, RatingPredictor, Recommender, RecQuery, Scorer } from './models/model.js';
export { PopConfig, PopularityModel } from './models/pop/index.js';
export { createModel, MODEL_NAMES, type ModelName } from './training/registry.js';
