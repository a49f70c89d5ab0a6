#!/usr/bin/env node
import { readFileSync } from 'node:fs';
import { TideError } from '../core/errors.js';
import { DEMO_HELP, demoCommand } from './commands/demo.js';
import { EMBED_HELP, embedCommand } from './commands/embed.js';
import { EVAL_HELP, evalCommand } from './commands/eval.js';
import { GENERATE_HELP, generateCommand } from './commands/generate.js';
import { RECOMMEND_HELP, recommendCommand } from './commands/recommend.js';
import { SERVE_HELP, serveCommand } from './commands/serve.js';
import { STATS_HELP, statsCommand } from './commands/stats.js';
import { TRAIN_HELP, trainCommand } from './commands/train.js';

const COMMANDS: Record<string, { run: (args: string[]) => Promise<void>; help: string }> = {
  demo: { run: demoCommand, help: DEMO_HELP },
  eval: { run: evalCommand, help: EVAL_HELP },
  stats: { run: statsCommand, help: STATS_HELP },
  train: { run: trainCommand, help: TRAIN_HELP },
  generate: { run: generateCommand, help: GENERATE_HELP },
  serve: { run: serveCommand, help: SERVE_HELP },
  embed: { run: embedCommand, help: EMBED_HELP },
  recommend: { run: recommendCommand, help: RECOMMEND_HELP },
};

const USAGE = `tide — sequential recommendations that follow how interests evolve

Usage: tide <command> [options]     (tide <command> --help for its options)

Commands:
  demo       run Tide's main job on a generated world (no data needed)
  eval       evaluate models on a data set (leave-one-out or temporal, full ranking)
  train      train a neural sequence model (sasrec, gru, lstm) and save it
  stats      read and preprocess a data set and summarise it
  serve      serve recommendations over HTTP (events in, recommendations out)
  generate   write a synthetic world with recorded interest drift to files
  embed      embed the catalogue's item texts (offline USE-lite by default) into a cache
  recommend  items for a sentence ("space operas, but lighter") or a user, with reasons`;

async function main(argv: string[]): Promise<number> {
  const [name, ...args] = argv;
  if (name === undefined || name === 'help' || name === '--help' || name === '-h') {
    process.stdout.write(`${USAGE}\n`);
    return name === undefined ? 1 : 0;
  }
  if (name === '--version') {
    const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as {
      version: string;
    };
    process.stdout.write(`${pkg.version}\n`);
    return 0;
  }
  const command = COMMANDS[name];
  if (!command) {
    process.stderr.write(`tide: unknown command "${name}"\n\n${USAGE}\n`);
    return 2;
  }
  if (args.includes('--help') || args.includes('-h')) {
    process.stdout.write(`${command.help}\n`);
    return 0;
  }
  await command.run(args);
  return 0;
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    if (error instanceof TideError) {
      process.stderr.write(`tide: ${error.message}\n`);
      process.exitCode = 2;
    } else {
      process.stderr.write(`tide: unexpected error\n${(error as Error)?.stack ?? String(error)}\n`);
      process.exitCode = 1;
    }
  },
);
