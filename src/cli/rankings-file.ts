import { createWriteStream, openSync } from 'node:fs';
import { finished } from 'node:stream/promises';
import { TideError } from '../core/errors.js';
import type { Dataset } from '../data/dataset.js';
import type { EvalCase } from '../data/split.js';

/** One line of `tide eval --rankings`: a test case and the list the model ranked for it. */
export interface RankingLine {
  model: string;
  userId: string;
  /** The item that came next. */
  targetId: string;
  /** When it came (ISO 8601), on data with times: the moment the list answers. */
  at?: string;
  /** The top of the ranking, best first (history items excluded, as in the metrics). */
  itemIds: string[];
}

/**
 * Writes every test case's ranked list as JSON lines, for offline analysis or to compare with what
 * `tide serve` answers at the same moment.
 *
 * @example
 * const rankings = openRankingsFile('rankings.jsonl', dataset);
 * await evaluateModel(model, dataset, split, { onList: rankings.listFor(model.name) });
 * await rankings.close();
 */
export function openRankingsFile(path: string, dataset: Dataset) {
  // opened now, so that a path it cannot write fails before any model trains
  let fd: number;
  try {
    fd = openSync(path, 'w');
  } catch (error) {
    throw new TideError('CONFIG', `--rankings ${path}: cannot write it (${(error as Error).message})`);
  }
  const stream = createWriteStream(path, { fd });
  // a write error (disk full) is raised by close()
  const done = finished(stream);
  done.catch(() => {});
  return {
    listFor: (model: string) => (kase: EvalCase, list: Int32Array) => {
      const time = dataset.timestamps?.[kase.historyEnd];
      const line: RankingLine = {
        model,
        userId: dataset.userIds.idOf(kase.user),
        targetId: dataset.itemIds.idOf(kase.target),
        ...(time !== undefined && { at: new Date(time).toISOString() }),
        itemIds: Array.from(list, (item) => dataset.itemIds.idOf(item)),
      };
      stream.write(`${JSON.stringify(line)}\n`);
    },
    async close(): Promise<void> {
      stream.end();
      await done;
    },
  };
}
