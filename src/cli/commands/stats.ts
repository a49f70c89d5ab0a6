import { loadConfig } from '../../config/config.js';
import type { Dataset } from '../../data/dataset.js';
import { DATA_FLAGS, DATA_HELP, loadDataFromFlags } from '../data-options.js';
import { Flags } from '../flags.js';

export const STATS_HELP = `tide stats --data <dir> [--json] [options]

Reads and preprocesses a data set and prints what came out: users, items, events, lengths,
time range, and what preprocessing removed.
${DATA_HELP}`;

export async function statsCommand(args: string[]): Promise<void> {
  const flags = Flags.parse(args, { ...DATA_FLAGS, json: { type: 'boolean' } });
  const started = performance.now();
  const dataset = await loadDataFromFlags(flags, await loadConfig(flags.string('config')));
  const summary = { ...summarise(dataset), seconds: (performance.now() - started) / 1000 };
  if (flags.boolean('json')) {
    process.stdout.write(`${JSON.stringify(summary)}\n`);
    return;
  }
  const width = Math.max(...Object.keys(summary).map((k) => k.length));
  for (const [key, value] of Object.entries(summary)) {
    process.stdout.write(`${key.padEnd(width)}  ${typeof value === 'number' ? format(value) : value}\n`);
  }
}

/** The figures `tide stats` prints. */
export function summarise(dataset: Dataset): Record<string, string | number | boolean> {
  const lengths = Array.from(
    { length: dataset.nUsers },
    (_, u) => dataset.offsets[u + 1] - dataset.offsets[u],
  ).sort((a, b) => a - b);
  const events = dataset.items.length;
  const out: Record<string, string | number | boolean> = {
    dataset: dataset.name,
    format: dataset.format,
    users: dataset.nUsers,
    items: dataset.nItems,
    events,
    catalogItems: dataset.catalog.size,
    density: events / Math.max(1, dataset.nUsers * dataset.nItems),
    meanLength: events / Math.max(1, dataset.nUsers),
    medianLength: lengths[Math.floor(lengths.length / 2)] ?? 0,
    maxLength: lengths[lengths.length - 1] ?? 0,
    rawEvents: dataset.report.rawEvents,
    invalidRows: dataset.report.invalidRows,
    duplicatesRemoved: dataset.report.duplicatesRemoved,
    itemsRemoved: dataset.report.itemsRemoved,
    usersRemoved: dataset.report.usersRemoved,
    pseudonymised: dataset.report.pseudonymised,
    ratings: dataset.values !== null,
  };
  if (dataset.timestamps) {
    let [first, last] = [Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY];
    for (const t of dataset.timestamps) {
      if (t < first) first = t;
      if (t > last) last = t;
    }
    out.firstEvent = new Date(first).toISOString();
    out.lastEvent = new Date(last).toISOString();
  }
  return out;
}

function format(value: number): string {
  return Number.isInteger(value) ? value.toLocaleString('en-US') : value.toFixed(4);
}
