/**
 * Recommendations for many users at once (`tide recommend --all-users | --users <file> --out
 * recs.jsonl`), for e-mail campaigns and offline checks: one JSON line per user, written as it is
 * computed, with progress.
 */

import { once } from 'node:events';
import { createWriteStream } from 'node:fs';
import type { ProgressReporter } from '../core/progress.js';
import type { UserId } from '../core/types.js';
import type { Engine } from '../engine/engine.js';
import type { Recommendation } from '../engine/types.js';

export interface BatchOptions {
  k: number;
  /** Keep each item's reasons (off: item id, title and score only). */
  reasons: boolean;
}

/** What one line holds. */
export interface BatchLine {
  userId: UserId;
  modelId: string | null;
  items: Partial<Recommendation>[];
  /** The short-term share a, when the model reports one. */
  shortTermShare?: number;
}

/**
 * Writes one line per user of `users` to `out`, in order; resolves with the count once the file is
 * flushed.
 */
export async function recommendAll(
  engine: Engine,
  users: readonly UserId[],
  out: string,
  options: BatchOptions,
  progress: ProgressReporter,
): Promise<number> {
  const file = createWriteStream(out);
  progress.start(`recommend for ${users.length} users`, users.length);
  let written = 0;
  try {
    for (const userId of users) {
      const result = await engine.recommend(userId, { k: options.k });
      const items = result.items.map(({ itemId, title, score, reasons }) =>
        options.reasons ? { itemId, title, score, reasons } : { itemId, title, score },
      );
      const line: BatchLine = {
        userId,
        modelId: result.modelId,
        items,
        ...(result.shortTermShare !== undefined && { shortTermShare: result.shortTermShare }),
      };
      if (!file.write(`${JSON.stringify(line)}\n`)) await once(file, 'drain');
      written++;
      progress.tick(1);
    }
  } finally {
    file.end();
    await once(file, 'close');
  }
  progress.done();
  return written;
}
