#!/usr/bin/env node
import { readFileSync } from 'node:fs';
import { TideError } from '../core/errors.js';

/** A command as run: its entry point and its --help text. */
interface Command {
  run: (args: string[]) => Promise<void>;
  help: string;
}

/** The command modules, loaded when run: `tide serve` loads no training code, `tide eval` no server. */
const COMMANDS: Record<string, () => Promise<Command>> = {
  demo: async () => {
    const { demoCommand: run, DEMO_HELP: help } = await import('./commands/demo.js');
    return { run, help };
  },
  eval: async () => {
    const { evalCommand: run, EVAL_HELP: help } = await import('./commands/eval.js');
    return { run, help };
  },
  stats: async () => {
    const { statsCommand: run, STATS_HELP: help } = await import('./commands/stats.js');
    return { run, help };
  },
  train: async () => {
    const { trainCommand: run, TRAIN_HELP: help } = await import('./commands/train.js');
    return { run, help };
  },
  generate: async () => {
    const { generateCommand: run, GENERATE_HELP: help } = await import('./commands/generate.js');
    return { run, help };
  },
  serve: async () => {
    const { serveCommand: run, SERVE_HELP: help } = await import('./commands/serve.js');
    return { run, help };
  },
  embed: async () => {
    const { embedCommand: run, EMBED_HELP: help } = await import('./commands/embed.js');
    return { run, help };
  },
  worker: async () => {
    const { workerCommand: run, WORKER_HELP: help } = await import('./commands/worker.js');
    return { run, help };
  },
  recommend: async () => {
    const { recommendCommand: run, RECOMMEND_HELP: help } = await import('./commands/recommend.js');
    return { run, help };
  },
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
  worker     retrain from a store's event log on a schedule; promote a model that is not worse
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
  const { run, help } = await command();
  if (args.includes('--help') || args.includes('-h')) {
    process.stdout.write(`${help}\n`);
    return 0;
  }
  await run(args);
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
