import { readFile } from 'node:fs/promises';
import { loadConfig } from '../../config/config.js';
import { TideError } from '../../core/errors.js';
import type { Dataset } from '../../data/dataset.js';
import { userEvents } from '../../data/user-events.js';
import { Engine } from '../../engine/engine.js';
import { openServingModel } from '../../engine/serving-model.js';
import type { Reason, RecommendResult } from '../../engine/types.js';
import { openStore } from '../../storage/open.js';
import type { Store } from '../../storage/ports.js';
import { EmbeddingCache } from '../../text/cache.js';
import { withCache } from '../../text/cached-encoder.js';
import { createTextEncoder } from '../../text/encoder.js';
import { itemText } from '../../text/item-text.js';
import { recommendAll } from '../batch-recommend.js';
import { DATA_FLAGS, DATA_HELP, loadDataFromFlags } from '../data-options.js';
import { Flags } from '../flags.js';
import { TerminalProgress } from '../progress-bar.js';

export const RECOMMEND_HELP = `tide recommend --data <dir> (--text "<sentence>" | --user <id>) [options]
tide recommend (--data <dir> | --store <url>) --model-dir <dir> (--all-users | --users <file>) --out recs.jsonl

Recommends items for a sentence ("space operas, but lighter"), for a user of the data set, or for
both (the sentence blended with the user's behaviour), with the reasons for each item. With
--all-users or --users, for many users at once: one JSON line per user ({"userId", "modelId",
"items": [{"itemId", "title", "score"}]}), written as computed, with progress.

  --text "<sentence>"    what the person wants, in words (embedded with use-lite, offline)
  --user <id>            a user of the data set: their events are the history
  --model-dir <dir>      a saved model (tide train / tide eval --save-models) for behaviour scores
  --text-weight W        weight of the text similarity beside behaviour (default 0; 1 with --text)
  --k N                  how many items (default 10)
  --text-cache <file>    embedding cache (default ./tide-embeddings.db)
  --json                 the result as one JSON object
  --all-users            every user of the data set (or of the store's log)
  --users <file>         the users in this file, one id per line
  --out <file>           where the lines go (with --all-users / --users)
  --reasons              keep each item's reasons in the lines
  --store <url>          read users and events from a store (sqlite://..., postgres://...) instead of --data
${DATA_HELP}`;

export async function recommendCommand(args: string[]): Promise<void> {
  const flags = Flags.parse(args, {
    ...DATA_FLAGS,
    text: { type: 'string' },
    user: { type: 'string' },
    'model-dir': { type: 'string' },
    'text-weight': { type: 'string' },
    k: { type: 'string' },
    'text-cache': { type: 'string' },
    json: { type: 'boolean' },
    'all-users': { type: 'boolean' },
    users: { type: 'string' },
    out: { type: 'string' },
    reasons: { type: 'boolean' },
    store: { type: 'string' },
  });
  if (flags.boolean('all-users') || flags.string('users') !== undefined) return batchCommand(flags);
  const text = flags.string('text');
  const userId = flags.string('user');
  if (!text && !userId) throw new TideError('CONFIG', 'give --text "<sentence>", --user <id>, or both');
  const dataset = await loadDataFromFlags(flags, await loadConfig(flags.string('config')));
  const modelDir = flags.string('model-dir');
  const model = modelDir ? await openServingModel(modelDir) : null;
  const store = await openStore('memory://');
  const cache = EmbeddingCache.open(flags.string('text-cache') ?? './tide-embeddings.db');
  try {
    await store.items.put([...dataset.catalog.values()]);
    if (userId) await store.events.append(eventsOf(dataset, userId));
    const encoder = withCache(await createTextEncoder({ provider: 'use-lite' }), cache);
    const textWeight = Number(flags.string('text-weight') ?? 0);
    const engine = await Engine.open({
      store,
      model,
      text: { encoder, itemText: (item) => itemText(item) },
      textWeight,
    });
    const k = flags.integer('k', 10);
    const result = text
      ? await engine.recommendForText(text, { k, userId })
      : await engine.recommend(userId!, { k });
    await engine.close();
    process.stdout.write(flags.boolean('json') ? `${JSON.stringify(result)}\n` : formatResult(result));
  } finally {
    cache.close();
    await store.close();
  }
}

/** --all-users / --users: many users' recommendations into a JSONL file. */
async function batchCommand(flags: Flags): Promise<void> {
  const out = flags.string('out');
  if (!out) throw new TideError('CONFIG', '--out <file> is required with --all-users or --users');
  const modelDir = flags.string('model-dir');
  if (!modelDir) throw new TideError('CONFIG', '--model-dir <dir> is required with --all-users or --users');
  const model = await openServingModel(modelDir);
  const storeUrl = flags.string('store');
  if (!storeUrl && !flags.string('data')) throw new TideError('CONFIG', 'give --data <dir> or --store <url>');
  const store = await openStore(storeUrl ?? 'memory://');
  try {
    let logged: string[] = [];
    if (storeUrl) logged = await usersInLog(store);
    else {
      const dataset = await loadDataFromFlags(flags, await loadConfig(flags.string('config')));
      await store.items.put([...dataset.catalog.values()]);
      for (let u = 0; u < dataset.nUsers; u++) await store.events.append(userEvents(dataset, u));
      logged = [...dataset.userIds.ids()];
    }
    const listed = flags.string('users');
    const users = listed === undefined ? logged : await usersInFile(listed);
    const engine = await Engine.open({ store, model });
    const k = flags.integer('k', 10);
    const written = await recommendAll(
      engine,
      users,
      out,
      { k, reasons: flags.boolean('reasons') },
      new TerminalProgress(),
    );
    await engine.close();
    process.stderr.write(`wrote ${k} recommendations for each of ${written} users to ${out}\n`);
  } finally {
    await store.close();
  }
}

/** Every user with events in the store's log, in order of their first event. */
async function usersInLog(store: Store): Promise<string[]> {
  const users = new Set<string>();
  for (let after = 0; ; ) {
    const page = await store.events.scan(after, 50_000);
    if (page.length === 0) return [...users];
    for (const event of page) users.add(event.userId);
    after = page[page.length - 1].seq;
  }
}

/** One user id per line; blank lines skipped. */
async function usersInFile(path: string): Promise<string[]> {
  const text = await readFile(path, 'utf8').catch((error: unknown) => {
    throw new TideError('CONFIG', `--users ${path}: ${(error as Error).message}`);
  });
  return text
    .split(/\r?\n/)
    .map((line) => line.trim())
    .filter((line) => line !== '');
}

function eventsOf(dataset: Dataset, userId: string) {
  const u = dataset.userIds.indexOf(userId);
  if (u < 0) throw new TideError('NOT_FOUND', `--user ${userId}: no such user in ${dataset.name}`);
  return userEvents(dataset, u);
}

function formatResult(result: RecommendResult): string {
  const lines = result.items.map((item, rank) => {
    const why = item.reasons.map(describe).join('; ');
    return `${String(rank + 1).padStart(3)}  ${item.score.toFixed(3).padStart(7)}  ${item.title ?? item.itemId}${why ? `  — ${why}` : ''}`;
  });
  const head = `${result.events} events · model ${result.modelId ?? 'none'}${result.shortTermShare === undefined ? '' : ` · a = ${result.shortTermShare.toFixed(2)}`}`;
  return `${head}\n${lines.join('\n')}\n`;
}

function describe(reason: Reason): string {
  switch (reason.kind) {
    case 'recent-item':
      return `like ${reason.title ?? reason.itemId} (${reason.similarity.toFixed(2)})`;
    case 'facet':
      return `facet "${reason.label}"`;
    case 'short-long':
      return `short-term share ${reason.shortTermShare.toFixed(2)}`;
    case 'text':
      return `text match ${reason.similarity.toFixed(2)}`;
    case 'popular':
      return `popular (${reason.events} events)`;
    case 'cold-item':
      return `new item, near ${reason.neighbours.slice(0, 2).join(', ')}`;
  }
}
