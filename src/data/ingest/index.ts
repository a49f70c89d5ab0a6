/** Streaming readers for behaviour and catalogue files: lines, CSV, JSONL, MovieLens, detection. */

export { type CsvOptions, csvEvents, csvItems, splitList } from './csv.js';
export { parseCsvLine } from './csv-line.js';
export { openDataSource } from './detect.js';
export { type TimestampUnit, titleYear } from './fields.js';
export { defaultCsvEventMapping, defaultCsvItemMapping } from './generic.js';
export { jsonlEvents, jsonlItems } from './jsonl.js';
export { isGzipFile, type Line, type ReadLinesOptions, readLines, type TextEncoding } from './lines.js';
export {
  ColumnRef,
  CsvEventMapping,
  type CsvEventMappingInput,
  CsvItemMapping,
  type CsvItemMappingInput,
  DataSourceOptions,
  type DataSourceOptionsInput,
  JsonlEventMapping,
  type JsonlEventMappingInput,
  JsonlItemMapping,
  type JsonlItemMappingInput,
  parseMapping,
  TimestampUnitSchema,
} from './mapping.js';
export {
  ml1mMovies,
  ml1mRatings,
  ml1mSequences,
  ml100kGenres,
  ml100kItems,
  ml100kRatings,
} from './movielens.js';
export { mlLatestMovies, mlLatestRatings, mlLatestTags, TAG_SEPARATOR } from './movielens-latest.js';
export { type IngestOptions, isRowError } from './rows.js';
