import type { DriftRow } from '../../src/eval/drift-lag.js';
import type { GateCheckReport } from '../../src/models/neural/gate-check.js';
import type { BenchResult } from '../measure.js';
import type { Suite } from '../run.js';

const MODELS = ['pop', 'itemknn', 'gru', 'sasrec', 'fused', 'facets'];
const NOISE = ['0', '0.1'];

/** What the gate check said about a model's gate on its validation cases. */
function gateLine(model: string, check: GateCheckReport): string {
  const spread = `a p10/p50/p90 ${[check.p10, check.p50, check.p90].map((a) => a.toFixed(2)).join(' / ')}`;
  const ranking = `validation NDCG@10 ${check.ndcgLearned.toFixed(4)} with it, ${check.ndcgFixed.toFixed(4)} with a held at its mean`;
  return `Gate of ${model} on its ${check.cases} validation cases: ${spread}; ${ranking}: ${check.kept ? 'kept' : 'folded into the constant (no a reported)'}.`;
}

const n = (x: number) => (x === null || !Number.isFinite(x) ? 'never' : String(x));
const pct = (x: number) => `${(100 * x).toFixed(0)}%`;
const f4 = (x: unknown) => (typeof x === 'number' ? x.toFixed(4) : '-');

/** Following a planted switch: each family and the event-share baselines, on a clean and a noisy world. */
export const DRIFT: Suite = {
  name: 'drift',
  jobs: NOISE.flatMap((noise) =>
    MODELS.map((model) => ({ script: 'bench/drift.ts', args: ['--model', model, '--noise', noise] })),
  ),
  render(results) {
    return NOISE.flatMap((noise) => {
      const runs = results.filter((r) => String(r.noise) === noise);
      return [
        `### ${noise === '0' ? 'Clean switches' : `Switches with ${pct(Number(noise))} noise events`}: ${runs[0]?.users ?? '?'} users, each switching topic once`,
        'Events after the switch until the new topic holds > 1/2 (median, p90; "stays": for good; "never": not within 40 events).',
        '',
        '| model | NDCG@10 | P(topic) from | median | p90 | stays median | stays p90 | never | top-10 median | top-10 p90 |',
        '|---|---|---|---|---|---|---|---|---|---|',
        ...runs.flatMap((r: BenchResult) =>
          (r.rows as DriftRow[]).map((row) => {
            const ndcg = row.source === 'events' ? '-' : f4((r.metrics as Record<string, number>)['NDCG@10']);
            return `| ${row.model} | ${ndcg} | ${row.source} | ${n(row.lags.median)} | ${n(row.lags.p90)} | ${n(row.lags.stayMedian)} | ${n(row.lags.stayP90)} | ${pct(row.lags.never)} | ${row.topTen ? n(row.topTen.median) : '-'} | ${row.topTen ? n(row.topTen.p90) : '-'} |`;
          }),
        ),
        '',
        ...runs
          .filter((r) => r.gateCheck)
          .map((r) => gateLine(String(r.model), r.gateCheck as GateCheckReport)),
        ...runs
          .filter((r) => r.gate)
          .map((r) => {
            const gate = r.gate as { afterSwitch: number; elsewhere: number };
            return `Gate a of ${r.model}: mean ${gate.afterSwitch.toFixed(4)} over the 5 events after the switch, ${gate.elsewhere.toFixed(4)} elsewhere.`;
          }),
        '',
      ];
    }).join('\n');
  },
};
