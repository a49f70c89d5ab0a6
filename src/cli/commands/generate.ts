import { generateWorld, writeWorld } from '../../data/synthetic/index.js';
import { Flags } from '../flags.js';

export const GENERATE_HELP = `tide generate --out <dir> [--users N] [--items N] [--seed N]

Writes a synthetic world (events.jsonl, items.jsonl, truth.json) whose users' interests drift
between topics, with the drifts recorded in truth.json. Read it back with --data <dir>.`;

export async function generateCommand(args: string[]): Promise<void> {
  const flags = Flags.parse(args, {
    out: { type: 'string' },
    users: { type: 'string' },
    items: { type: 'string' },
    seed: { type: 'string' },
  });
  const out = flags.string('out') ?? 'tide-world';
  const world = generateWorld({
    ...(flags.string('users') !== undefined && { users: flags.integer('users') }),
    ...(flags.string('items') !== undefined && { items: flags.integer('items') }),
    ...(flags.string('seed') !== undefined && { seed: flags.integer('seed') }),
  });
  const files = await writeWorld(world, out);
  process.stdout.write(
    `wrote ${world.events.length} events, ${world.items.length} items and the ground truth to ${out}\n${JSON.stringify(files)}\n`,
  );
}
