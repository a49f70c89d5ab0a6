/**
 * How the settings of the change-point interest mixture (src/models/interest-shift.ts) trade speed
 * for steadiness: on generated worlds where every user switches topic once (clean, and with 10%
 * noise events), the events after the switch until the new topic holds > 1/2 of the mixture found
 * in the events alone (median), and until it stays there (median), per setting. Run on other seeds
 * than the drift suite's world (3), so that the default is not chosen on the world it is reported on.
 * Usage: npx tsx bench/interest-shift.ts [--seeds 4,5] [--users 600]
 */
import type { Dataset } from '../src/data/dataset.js';
import {
  interestShiftShare,
  itemTopics,
  type LagSummary,
  lagSummary,
  type SwitchCase,
} from '../src/eval/drift-lag.js';
import { DEFAULT_INTEREST_SHIFT, type InterestShiftSettings } from '../src/models/interest-shift.js';
import { argValue } from './measure.js';
import { switchWorld } from './switch-world.js';

const seeds = argValue('seeds', '4,5').split(',').map(Number);
const users = Number(argValue('users', '600'));
const GRID: InterestShiftSettings[] = [0.003, 0.01, 0.03].flatMap((hazard) =>
  [0.25, 0.5, 1, 2].flatMap((concentration) =>
    [0.02, 0.1, 0.2].map((noise) => ({ ...DEFAULT_INTEREST_SHIFT, hazard, concentration, noise })),
  ),
);

const worlds: { label: string; data: Dataset; cases: SwitchCase[] }[] = [];
for (const seed of seeds)
  for (const noise of [0, 0.1]) {
    const { data, cases } = await switchWorld(seed, users, noise);
    worlds.push({ label: `seed ${seed}, ${noise ? `${noise * 100}% noise` : 'clean'}`, data, cases });
  }

const n = (x: number) => (Number.isFinite(x) ? String(x) : 'never');
const cell = (l: LagSummary) => `${n(l.median)} / ${n(l.stayMedian)}`;
// the issue's bar: crossing within 4 events, staying from 8; the worst world decides
const score = (lags: LagSummary[]) => Math.max(...lags.map((l) => Math.max(l.median / 4, l.stayMedian / 8)));
const rows = GRID.map((settings) => {
  const lags = worlds.map(({ data, cases }) =>
    lagSummary(cases, interestShiftShare(data, itemTopics(data), undefined, settings)),
  );
  return { settings, lags, score: score(lags) };
}).sort((x, y) => x.score - y.score);

const isDefault = (s: InterestShiftSettings) =>
  s.hazard === DEFAULT_INTEREST_SHIFT.hazard &&
  s.concentration === DEFAULT_INTEREST_SHIFT.concentration &&
  s.noise === DEFAULT_INTEREST_SHIFT.noise;
console.log(`| hazard | concentration | noise | ${worlds.map((w) => w.label).join(' | ')} |`);
console.log(`|---|---|---|${worlds.map(() => '---').join('|')}|`);
for (const { settings, lags } of rows) {
  const mark = isDefault(settings) ? ' (default)' : '';
  console.log(
    `| ${settings.hazard}${mark} | ${settings.concentration} | ${settings.noise} | ${lags.map(cell).join(' | ')} |`,
  );
}
