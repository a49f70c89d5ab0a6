import { loadDataset } from '../../data/dataset.js';
import { PreprocessConfig } from '../../data/preprocess.js';
import { leaveOneOut } from '../../data/split.js';
import { generateWorld, topicShareBeforeAfter, type World, worldSource } from '../../data/synthetic/index.js';
import { type EvalReport, evaluateModel } from '../../eval/evaluate.js';
import { formatReportTable } from '../../eval/report.js';
import { createModel } from '../../models/registry.js';
import { Flags } from '../flags.js';
import { TerminalProgress } from '../progress-bar.js';

export const DEMO_HELP = `tide demo [--seed N] [--users N]

Tide's main job on its embedded defaults, with no data needed: generates a world of users whose
interests drift between topics (ground truth recorded), then evaluates the baselines on it with
leave-one-out full ranking.`;

const DEMO_MODELS = ['pop', 'markov', 'itemknn', 'bpr'];

export async function demoCommand(args: string[]): Promise<void> {
  const flags = Flags.parse(args, { seed: { type: 'string' }, users: { type: 'string' } });
  const seed = flags.integer('seed', 42);
  const world = generateWorld({ seed, users: flags.integer('users', 600) });
  const out = process.stdout;
  out.write(describeWorld(world));
  const dataset = await loadDataset(worldSource(world), { preprocess: PreprocessConfig.parse({}) });
  const split = leaveOneOut(dataset);
  const reports: EvalReport[] = [];
  for (const name of DEMO_MODELS) {
    reports.push(
      await evaluateModel(createModel(name, name === 'bpr' ? { seed, epochs: 20 } : {}), dataset, split, {
        seed,
        progress: new TerminalProgress(),
      }),
    );
  }
  out.write(`\n${formatReportTable(reports)}\n`);
  out.write('\nNext: `tide eval --data <dir> --model markov` on your own data (see README).\n');
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
