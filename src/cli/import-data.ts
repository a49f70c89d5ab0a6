/** The first import of a data folder into a store, as `tide serve --data` runs it at start. */
import { createHash } from 'node:crypto';
import { resolve } from 'node:path';
import { TideError } from '../core/errors.js';
import type { ProgressReporter } from '../core/progress.js';
import { openDataSource } from '../data/ingest/index.js';
import type { Store } from '../storage/ports.js';

/** Appends are atomic per batch; this size keeps each transaction short. */
const IMPORT_BATCH = 5000;

/**
 * Writes the catalogue at every start (an upsert) and the events into an empty log. The events go
 * in batches, each under an idempotency key named after the data set and its place, and a last key
 * marks the import complete: a start after a crash mid-import resends every batch, the ones already
 * in are answered from their keys, and the import ends where an uninterrupted one would have.
 */
export async function importData(
  store: Store,
  path: string,
  source: string | undefined,
  progress: ProgressReporter,
  log: (line: string) => void = (line) => process.stderr.write(line),
): Promise<void> {
  if (source !== undefined && source !== 'sequences' && source !== 'ratings') {
    throw new TideError('CONFIG', `--source must be "sequences" or "ratings", got "${source}"`);
  }
  const data = await openDataSource(path, { source });
  progress.start(`import ${data.name} items`, 0);
  let items = 0;
  for await (const batch of data.items()) {
    await store.items.put(batch);
    items += batch.length;
    progress.tick(batch.length);
  }
  progress.done();
  const keys = importKeys(path, source);
  const logged = await store.events.count();
  if (await store.events.replyOf(keys.complete)) {
    log(`imported ${items} items; the events of ${path} are in the log already (${logged} events)\n`);
    return;
  }
  const resuming = (await store.events.replyOf(keys.batch(0))) !== undefined;
  if (logged > 0 && !resuming) {
    log(`imported ${items} items; the log already holds ${logged} events, so none were imported\n`);
    return;
  }
  progress.start(`${resuming ? 'resume the import of' : 'import'} ${data.name} events`, 0);
  let events = 0;
  let before = 0;
  let n = 0;
  for await (const batch of data.events()) {
    for (let at = 0; at < batch.length; at += IMPORT_BATCH) {
      const chunk = batch.slice(at, at + IMPORT_BATCH);
      const { replayed } = await store.events.append(chunk, { idempotencyKey: keys.batch(n++) });
      if (replayed) before += chunk.length;
      events += chunk.length;
      progress.tick(chunk.length);
    }
  }
  await store.events.append([], { idempotencyKey: keys.complete });
  progress.done();
  const resumed = resuming ? ` (${before} of them were in from an interrupted import)` : '';
  log(`imported ${items} items and ${events} events from ${path}${resumed}\n`);
}

/** The idempotency keys of one data set's import: per batch, and the mark of a complete import. */
function importKeys(
  path: string,
  source: string | undefined,
): { batch(n: number): string; complete: string } {
  const dataSet = createHash('sha256')
    .update(`${resolve(path)}\0${source ?? ''}`)
    .digest('hex')
    .slice(0, 16);
  return { batch: (n) => `tide-import:${dataSet}:${n}`, complete: `tide-import:${dataSet}:complete` };
}
