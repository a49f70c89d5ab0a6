import { loadConfig } from '../../config/config.js';
import { TideError } from '../../core/errors.js';
import type { Dataset } from '../../data/dataset.js';
import { userEvents } from '../../data/user-events.js';
import { Engine } from '../../engine/engine.js';
import { openServingModel } from '../../engine/serving-model.js';
import type { Reason, RecommendResult } from '../../engine/types.js';
import { openStore } from '../../storage/open.js';
import { EmbeddingCache } from '../../text/cache.js';
import { withCache } from '../../text/cached-encoder.js';
import { createTextEncoder } from '../../text/encoder.js';
import { itemText } from '../../text/item-text.js';
import { DATA_FLAGS, DATA_HELP, loadDataFromFlags } from '../data-options.js';
import { Flags } from '../flags.js';

export const RECOMMEND_HELP = `tide recommend --data <dir> (--text "<sentence>" | --user <id>) [options]

Recommends items for a sentence ("space operas, but lighter"), for a user of the data set, or for
both (the sentence blended with the user's behaviour), with the reasons for each item.

  --text "<sentence>"    what the person wants, in words (embedded with use-lite, offline)
  --user <id>            a user of the data set: their events are the history
  --model-dir <dir>      a saved model (tide train / tide eval --save-models) for behaviour scores
  --text-weight W        weight of the text similarity beside behaviour (default 0; 1 with --text)
  --k N                  how many items (default 10)
  --text-cache <file>    embedding cache (default ./tide-embeddings.db)
  --json                 the result as one JSON object
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
  });
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
  const head = `${result.events} events · model ${result.modelId ?? 'none'}${result.a === undefined ? '' : ` · a = ${result.a.toFixed(2)}`}`;
  return `${head}\n${lines.join('\n')}\n`;
}

function describe(reason: Reason): string {
  switch (reason.kind) {
    case 'recent-item':
      return `like ${reason.title ?? reason.itemId} (${reason.similarity.toFixed(2)})`;
    case 'facet':
      return `facet "${reason.label}"`;
    case 'short-long':
      return `short-term share ${reason.a.toFixed(2)}`;
    case 'text':
      return `text match ${reason.similarity.toFixed(2)}`;
    case 'popular':
      return `popular (${reason.events} events)`;
    case 'cold-item':
      return `new item, near ${reason.neighbours.slice(0, 2).join(', ')}`;
  }
}
