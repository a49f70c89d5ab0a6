import { generateWorld, writeWorld } from '../../data/synthetic/index.js';
import { Flags } from '../flags.js';

export const GENERATE_HELP = `tide generate --out <dir> [--users N] [--items N] [--seed N] [--switch-once] [--noise F]

Writes a synthetic world (events.jsonl, items.jsonl, truth.json) whose users' interests drift
between topics, with the drifts recorded in truth.json. Read it back with --data <dir>.

  --switch-once   every user's main interest switches once, abruptly, to another topic
  --noise F       a share F of the events goes to a topic drawn at random, whatever the interest
                  (e.g. 0.1)

\`tide eval --drift --data <dir>\` then measures how fast each model follows the switches.`;

export async function generateCommand(args: string[]): Promise<void> {
  const flags = Flags.parse(args, {
    out: { type: 'string' },
    users: { type: 'string' },
    items: { type: 'string' },
    seed: { type: 'string' },
    'switch-once': { type: 'boolean' },
    noise: { type: 'string' },
  });
  const out = flags.string('out') ?? 'tide-world';
  const world = generateWorld({
    ...(flags.string('users') !== undefined && { users: flags.integer('users') }),
    ...(flags.string('items') !== undefined && { items: flags.integer('items') }),
    ...(flags.string('seed') !== undefined && { seed: flags.integer('seed') }),
    ...(flags.boolean('switch-once') && { driftProbability: 1, maxDrifts: 1, gradualDriftShare: 0 }),
    ...(flags.string('noise') !== undefined && { noiseShare: flags.number('noise', 0) }),
  });
  const files = await writeWorld(world, out);
  process.stdout.write(
    `wrote ${world.events.length} events, ${world.items.length} items and the ground truth to ${out}\n${JSON.stringify(files)}\n`,
  );
}
