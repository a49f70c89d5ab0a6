import type { EvalReport } from './evaluate.js';

/** Metrics the terminal table shows, in this order, when present; --json has every metric. */
const SHOWN = [
  'NDCG@10',
  'HR@10',
  'MRR',
  'Recall@10',
  'Coverage@10',
  'Gini@10',
  'Novelty@10',
  'ILD@10',
  'MSE',
  'MAE',
  'Category accuracy',
  'Category macro-F1',
  'mean a',
  'a p10',
  'a p90',
  'cold NDCG@10',
  'cold HR@10',
  'text weight',
];

/**
 * A plain-text table with one row per report, for the terminal (the main metrics; every metric
 * is in the JSON report).
 *
 * @example
 * console.log(formatReportTable([popReport, markovReport]));
 */
export function formatReportTable(reports: readonly EvalReport[]): string {
  if (reports.length === 0) return '(no results)';
  const names = new Set<string>();
  for (const r of reports) for (const name of Object.keys(r.metrics)) names.add(name);
  const metricNames = SHOWN.filter((n) => names.has(n));
  const header = ['model', ...metricNames, 'seconds'];
  const rows = reports.map((r) => [
    r.model,
    ...metricNames.map((n) => (r.metrics[n] === undefined ? '-' : r.metrics[n].toFixed(4))),
    r.seconds.toFixed(1),
  ]);
  const widths = header.map((h, c) => Math.max(h.length, ...rows.map((row) => row[c].length)));
  const line = (cells: string[]) =>
    cells.map((cell, c) => (c === 0 ? cell.padEnd(widths[c]) : cell.padStart(widths[c]))).join('  ');
  const first = reports[0];
  return [
    `${first.dataset} · ${first.split} · ${first.protocol} ranking · ${first.users} users`,
    line(header),
    line(widths.map((w) => '-'.repeat(w))),
    ...rows.map(line),
  ].join('\n');
}
