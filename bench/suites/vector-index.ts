import type { BenchResult } from '../measure.js';
import type { Suite } from '../run.js';

/** Latency of one way of answering the 1,000 queries, in milliseconds. */
export interface Latency {
  p50: number;
  p99: number;
  /** CPU time per query (user + system): far less disturbed than wall time by other jobs. */
  cpuMean: number;
}

export interface EfRow extends Latency {
  efSearch: number;
  recallAt10: number;
}

/** What bench/vector-index.ts prints as its last line. */
export interface VectorIndexResult extends BenchResult {
  items: number;
  dim: number;
  clusters: number;
  queries: number;
  m: number;
  efConstruction: number;
  buildSeconds: number;
  hnswRssMiB: number;
  exactRssMiB: number;
  exact: Latency;
  exactSmall: Latency & { items: number };
  rows: EfRow[];
  filtered: EfRow & { excluded: number };
  chosenEf: number | null;
}

const f2 = (x: number) => x.toFixed(2);

/** The markdown tables for one run of bench/vector-index.ts. */
export function renderVectorIndex(r: VectorIndexResult): string {
  const row = (label: string, recall: string, l: Latency) =>
    `| ${label} | ${recall} | ${f2(l.p50)} | ${f2(l.p99)} | ${f2(l.cpuMean)} |`;
  return [
    `### Vector index: ${r.items.toLocaleString('en-US')} clustered items × ${r.dim} (${r.clusters} centres), ${r.queries} user-like queries, top 10 by inner product`,
    `HNSW (hnswlib-node, M ${r.m}, efConstruction ${r.efConstruction}): build ${r.buildSeconds.toFixed(1)} s,`,
    `RSS +${r.hnswRssMiB} MiB; exact index RSS +${r.exactRssMiB} MiB. Peak RSS ${String(r.peakRssMiB ?? '-')} MiB.`,
    '',
    '| search | recall@10 | p50 ms | p99 ms | CPU ms/query |',
    '|---|---|---|---|---|',
    row(`exact, ${r.items.toLocaleString('en-US')} items`, '1', r.exact),
    row(`exact, ${r.exactSmall.items.toLocaleString('en-US')} items (ML-1M size)`, '1', r.exactSmall),
    ...r.rows.map((e) => row(`HNSW efSearch ${e.efSearch}`, e.recallAt10.toFixed(4), e)),
    row(
      `HNSW efSearch ${r.filtered.efSearch}, ${r.filtered.excluded} seen items filtered`,
      r.filtered.recallAt10.toFixed(4),
      r.filtered,
    ),
    '',
    r.chosenEf === null
      ? 'No efSearch reached recall@10 ≥ 0.95 with p99 < 50 ms.'
      : `Smallest efSearch with recall@10 ≥ 0.95 and p99 < 50 ms: **${r.chosenEf}**.`,
  ].join('\n');
}

/** Exact vs HNSW top-k retrieval on a synthetic 1M-item catalogue (several minutes, ~2 GiB). */
export const VECTOR_INDEX: Suite = {
  name: 'vector-index',
  jobs: [{ script: 'bench/vector-index.ts', args: [] }],
  render: (results) => results.map((r) => renderVectorIndex(r as VectorIndexResult)).join('\n\n'),
};
