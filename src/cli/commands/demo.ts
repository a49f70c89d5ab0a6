import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type Dataset, loadDataset } from '../../data/dataset.js';
import { PreprocessConfig } from '../../data/preprocess.js';
import { leaveOneOut } from '../../data/split.js';
import { generateWorld, topicShareBeforeAfter, type World, worldSource } from '../../data/synthetic/index.js';
import { userEvents } from '../../data/user-events.js';
import { Engine } from '../../engine/engine.js';
import { openServingModel } from '../../engine/serving-model.js';
import { type DriftFollowing, measureDriftFollowing } from '../../eval/drift.js';
import { type EvalReport, evaluateModel } from '../../eval/evaluate.js';
import { formatReportTable } from '../../eval/report.js';
import type { GateCheckReport } from '../../models/neural/gate-check.js';
import type { NeuralRecommender } from '../../models/neural/recommender.js';
import { startServer } from '../../server/server.js';
import { openStore } from '../../storage/open.js';
import { EmbeddingCache } from '../../text/cache.js';
import { withCache } from '../../text/cached-encoder.js';
import { createTextEncoder } from '../../text/encoder.js';
import { itemText } from '../../text/item-text.js';
import { createModel } from '../../training/registry.js';
import { Flags } from '../flags.js';
import { TerminalProgress } from '../progress-bar.js';

export const DEMO_HELP = `tide demo [--seed N] [--users N] [--epochs N] [--port N] [--no-serve]

Tide's main job on its embedded defaults, with no data needed: generates a world of users whose
interests drift between topics (ground truth recorded), trains the sequence models (GRU, SASRec,
the fused long/short-term model and the facets model) on it, evaluates them beside the baselines
with leave-one-out full ranking, and checks that the fused model's P(topic | user) follows the
planted drift. Then it serves the fused model over HTTP, with the dashboard at / and the world's
events in a SQLite store, until Ctrl-C (--no-serve stops after the report).`;

const BASELINES = ['pop', 'markov', 'itemknn', 'bpr'];
/**
 * Small networks: the demo world has 400 items and histories of 20-80 events. SASRec (and the
 * fused and facets models', which they train first) at width 64: at 32 it scored 0.4070 / 0.4237
 * NDCG@10 on the worlds of seeds 42 / 7, at 64 0.4249 / 0.4298, where item-kNN scores 0.4160 /
 * 0.4130 (2026-12-08, docs/experiments.md).
 */
const NEURAL: Record<string, Record<string, unknown>> = {
  gru: { maxLength: 50, embeddingDim: 32, hiddenDim: 48 },
  sasrec: { maxLength: 50, dim: 64, init: 'normal' },
  fused: { longTerm: { maxLength: 50, dim: 64, init: 'normal' } },
  facets: { facets: 4, sasrec: { maxLength: 50, dim: 64, init: 'normal' } },
};
/**
 * The recipe of the time-split runs (BENCHMARKS.md): every target weighed the same, batches of 32,
 * lr 0.002, early stopping with patience 4; it lifted SASRec and GRU in this demo against 10 epochs
 * at lr 0.005 in batches of 64.
 */
const RECIPE = { weighting: 'target', batchSize: 32, learningRate: 0.002, patience: 4 };

export async function demoCommand(args: string[]): Promise<void> {
  const flags = Flags.parse(args, {
    seed: { type: 'string' },
    users: { type: 'string' },
    epochs: { type: 'string' },
    port: { type: 'string' },
    'no-serve': { type: 'boolean' },
  });
  const seed = flags.integer('seed', 42);
  const epochs = flags.integer('epochs', 30);
  const world = recentWorld({ seed, users: flags.integer('users', 600) });
  const out = process.stdout;
  out.write(describeWorld(world));
  // every event kept (no k-core), so the ground truth's event indices line up with the data
  const dataset = await loadDataset(worldSource(world), {
    preprocess: PreprocessConfig.parse({ minItemEvents: 1, minUserEvents: 1 }),
  });
  const split = leaveOneOut(dataset);
  const reports: EvalReport[] = [];
  const progress = new TerminalProgress();
  for (const name of BASELINES) {
    const model = createModel(name, name === 'bpr' ? { seed, epochs: 20 } : {});
    reports.push(await evaluateModel(model, dataset, split, { seed, progress }));
  }
  const trained = new Map<string, NeuralRecommender>();
  for (const [name, network] of Object.entries(NEURAL)) {
    out.write(`training ${name}...\n`);
    const model = createModel(name, {
      ...network,
      ...RECIPE,
      epochs,
      seed,
    });
    reports.push(await evaluateModel(model, dataset, split, { seed, progress }));
    trained.set(name, model as NeuralRecommender);
  }
  out.write(`\n${formatReportTable(reports)}\n`);
  const fused = trained.get('fused');
  if (fused) out.write(describeDriftFollowing(measureDriftFollowing(fused, dataset, world)));
  if (fused?.gateReport) out.write(describeGate(fused.gateReport));

  out.write(
    '\nNext: `tide eval --data <dir> --model markov` or `tide train --data <dir> --model fused` on your own data (see README).\n',
  );
  if (fused && !flags.boolean('no-serve'))
    await serveDemo(fused, dataset, world, flags.integer('port', 8080));
}

/** What the gate check found: a's spread over the validation cases and whether it was kept. */
function describeGate(check: GateCheckReport): string {
  const spread = [check.p10, check.p50, check.p90].map((a) => a.toFixed(2)).join(' / ');
  const verdict = check.kept
    ? 'it ranks them better than a held at its mean, so a is reported with every answer'
    : 'it ranks them no better than a held at its mean, so the model uses that constant and reports no a';
  return `\nThe fused model's short-term share a over its ${check.cases} validation cases: p10 / p50 / p90 ${spread}; NDCG@10 ${check.ndcgLearned.toFixed(4)} with the learned a, ${check.ndcgFixed.toFixed(4)} with a held at its mean: ${verdict}.\n`;
}

/**
 * The world, its clock moved by whole days so that its last event was less than a day ago: served
 * now, its users come back after the gaps the world has, not after the months since a fixed start
 * date, and what is popular in it is popular now. Whole days keep every event at its hour of the day,
 * on which the world's topics depend, so the world is the same whenever the demo runs.
 */
export function recentWorld(size: { seed: number; users: number }, now = Date.now()): World {
  const probe = generateWorld(size);
  const last = probe.events.at(-1)?.timestamp ?? 0;
  const days = Math.max(0, Math.floor((now - last) / DAY_MS));
  const startTime = new Date(Date.parse(probe.config.startTime) + days * DAY_MS).toISOString();
  return generateWorld({ ...size, startTime });
}

const DAY_MS = 86_400_000;

/** Serves the trained fused model on the world (SQLite store in a temporary folder) until Ctrl-C. */
async function serveDemo(
  model: NeuralRecommender,
  dataset: Dataset,
  world: World,
  port: number,
): Promise<void> {
  const dir = await mkdtemp(join(tmpdir(), 'tide-demo-'));
  await model.save(join(dir, 'model'), dataset.itemIds.ids(), dataset, dataset.name);
  const store = await openStore(`sqlite://${join(dir, 'tide.db')}`);
  await store.items.put(world.items);
  for (let u = 0; u < dataset.nUsers; u++) await store.events.append(userEvents(dataset, u));
  const cache = EmbeddingCache.open(join(dir, 'embeddings.db'));
  const encoder = withCache(await createTextEncoder({ provider: 'use-lite' }), cache);
  const engine = await Engine.open({
    store,
    model: await openServingModel(join(dir, 'model')),
    text: { encoder, itemText: (item) => itemText(item) },
  });
  const server = await startServer({ engine, store, port, host: '127.0.0.1', auth: [] });
  process.stdout.write(
    `\nServing the fused model on ${server.url} — open it in a browser for the dashboard (users, interest\nevolution, live recommendations); the API is described at ${server.url}/openapi.json. Ctrl-C stops.\n`,
  );
  await server.closed;
  cache.close();
}

function describeDriftFollowing(drift: DriftFollowing): string {
  const lines = [
    `\nDoes the fused model follow the planted drift? Over ${drift.users} drifting users, its P(new topic | user) goes from ${pct(drift.before)} just before the drift to ${pct(drift.after)} once it has settled; it rises for ${pct(drift.rising)} of them.`,
  ];
  const e = drift.example;
  if (e)
    lines.push(
      `  e.g. ${e.userId} ("${e.from}" -> "${e.to}"): P("${e.to}") ${pct(e.before)} -> ${pct(e.after)}`,
    );
  return `${lines.join('\n')}\n`;
}

/** A few lines on the generated world and its recorded interest drift. */
export function describeWorld(world: World): string {
  const users = Object.keys(world.truth.users);
  const drifting = users.filter((u) => world.truth.users[u].drifts.length > 0);
  let before = 0;
  let after = 0;
  for (const userId of drifting) {
    const shift = topicShareBeforeAfter(world, userId);
    if (!shift?.drift) continue;
    before += shift.before[shift.drift.to] ?? 0;
    after += shift.after[shift.drift.to] ?? 0;
  }
  const n = Math.max(drifting.length, 1);
  const example = drifting[0];
  const lines = [
    `Synthetic world (seed ${world.config.seed}): ${users.length} users, ${world.items.length} items over ${world.topics.length} topics, ${world.events.length} events`,
    `Interest drift (ground truth): ${drifting.length} users drift; their share of events in the topic they drift to goes from ${pct(before / n)} before the drift to ${pct(after / n)} after`,
  ];
  if (example) {
    const drift = world.truth.users[example].drifts[0];
    lines.push(
      `  e.g. ${example}: "${drift.from}" -> "${drift.to}" at event ${drift.atEventIndex} (${drift.kind})`,
    );
  }
  return `${lines.join('\n')}\n`;
}

function pct(x: number): string {
  return `${(x * 100).toFixed(1)}%`;
}
