import type { TideError } from '../core/errors.js';
import { type ProgressReporter, silentProgress } from '../core/progress.js';
import type { Context, Item, ItemId, UserId } from '../core/types.js';
import type { SequenceCorpus } from './corpus.js';
import { EventColumns } from './event-columns.js';
import { IdMap } from './id-map.js';
import { type PreprocessConfig, type PreprocessReport, preprocess } from './preprocess.js';
import type { Pseudonymiser } from './pseudonym.js';
import type { DataSource } from './source.js';

/** A preprocessed data set: ordered per-user sequences over dense ids, plus the catalogue. */
export interface Dataset extends SequenceCorpus {
  readonly name: string;
  readonly format: string;
  /** Dense user index -> external (possibly pseudonymised) id, and back. */
  readonly userIds: IdMap;
  /** Dense item index -> external id, and back. Only items that survived preprocessing. */
  readonly itemIds: IdMap;
  /** Every catalogue item the source listed, with or without events. */
  readonly catalog: ReadonlyMap<ItemId, Item>;
  /** Context of each event (aligned with `items`), or null when no event had one. */
  readonly contexts: readonly (Context | undefined)[] | null;
  readonly report: LoadReport;
}

export interface LoadReport extends PreprocessReport {
  rawEvents: number;
  invalidRows: number;
  /** The first few invalid rows' messages, when rows were skipped. */
  invalidExamples: string[];
  pseudonymised: boolean;
}

export interface LoadOptions {
  preprocess: PreprocessConfig;
  /** Skip and count bad rows instead of failing on the first. */
  skipInvalid?: boolean;
  /** When set, user ids are replaced by keyed HMACs as they are read; raw ids are never kept. */
  pseudonymiser?: Pseudonymiser;
  progress?: ProgressReporter;
}

const INVALID_EXAMPLES = 5;

/**
 * Reads a source and preprocesses it into a Dataset.
 *
 * @example
 * const data = await loadDataset(await openDataSource('../shared/data/ml-1m'), { preprocess: PreprocessConfig.parse({}) });
 * data.nUsers; // 6040
 */
export async function loadDataset(source: DataSource, options: LoadOptions): Promise<Dataset> {
  const progress = options.progress ?? silentProgress;
  const invalid: TideError[] = [];
  const onInvalid = options.skipInvalid ? (error: TideError) => void invalid.push(error) : undefined;
  const rawUsers = new IdMap();
  const rawItems = new IdMap();
  const columns = new EventColumns();
  progress.start(`reading ${source.name}`, 0);
  for await (const batch of source.events({ onInvalid })) {
    for (const event of batch) {
      const userId: UserId = options.pseudonymiser
        ? options.pseudonymiser.pseudonym(event.userId)
        : event.userId;
      columns.push(
        rawUsers.intern(userId),
        rawItems.intern(event.itemId),
        event.type,
        event.timestamp,
        event.value,
        event.context,
      );
    }
    progress.tick(batch.length, { events: columns.length });
  }
  const catalog = new Map<ItemId, Item>();
  for await (const batch of source.items({ onInvalid }))
    for (const item of batch) catalog.set(item.itemId, item);
  const result = preprocess(columns, rawUsers.size, options.preprocess);
  progress.done({ events: result.corpus.items.length });

  const contexts =
    columns.contexts.size > 0 ? Array.from(result.rawEventOf, (raw) => columns.contexts.get(raw)) : null;
  return {
    ...result.corpus,
    name: source.name,
    format: source.format,
    userIds: IdMap.from(Array.from(result.rawUserOf, (raw) => rawUsers.idOf(raw))),
    itemIds: IdMap.from(Array.from(result.rawItemOf, (raw) => rawItems.idOf(raw))),
    catalog,
    contexts,
    report: {
      ...result.report,
      rawEvents: columns.length,
      invalidRows: invalid.length,
      invalidExamples: invalid.slice(0, INVALID_EXAMPLES).map((e) => e.message),
      pseudonymised: options.pseudonymiser !== undefined,
    },
  };
}
