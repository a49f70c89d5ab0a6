/** The held-out cases a time head is fitted on, as the fit reads them (models/neural/time-head.ts). */
import { ItemTrend } from '../../data/item-trend.js';
import { replayCases } from '../../data/replay.js';
import { type EvalCase, evenSpread } from '../../data/split.js';
import type { FitData, RecQuery } from '../model.js';
import { TIME_CONTEXT_SIZE, type TimeHeadSamples, timeContext } from './time-head.js';

/** Validation cases the time head learns from, at most (an even spread of them). */
const MAX_SAMPLES = 3000;
/** Floats of trend features kept at most (one copy per distinct moment). */
const TREND_FLOATS = 48_000_000;

/**
 * The model's scores for each case (an even spread of at most MAX_SAMPLES; history items other
 * than the target -Infinity), how long since each user's previous event, and the trend as a deployed
 * model would have had it: every event before the validation cut, then, for temporal cases, the log
 * replayed up to each case's time. Null without times or cases.
 */
export function timeHeadSamples(
  validation: NonNullable<FitData['validation']>,
  score: (query: RecQuery, scoresByItem: Float32Array) => void,
  halfLivesDays?: readonly number[],
): { samples: TimeHeadSamples; trend: ItemTrend } | null {
  const times = validation.casesCorpus.timestamps;
  if (!times || validation.cases.length === 0) return null;
  const trend = ItemTrend.fromCorpus(validation.corpus, halfLivesDays);
  const n = validation.corpus.nItems;
  // each distinct trend is kept whole: bound them to ~TREND_FLOATS floats
  const limit = Math.max(100, Math.min(MAX_SAMPLES, Math.floor(TREND_FLOATS / (trend.featureCount * n))));
  const cases = evenSpread(validation.cases, limit);
  const scores = new Float32Array(cases.length * n);
  const contexts = new Float32Array(cases.length * TIME_CONTEXT_SIZE);
  const targets = new Int32Array(cases.length);
  const trends: Float32Array[] = [];
  const trendOf = new Int32Array(cases.length);
  let s = 0;
  const visit = (kase: EvalCase) => {
    const row = scores.subarray(s * n, (s + 1) * n);
    const timestamps = times.subarray(kase.historyStart, kase.historyEnd);
    score({ user: kase.user, history: kase.history, timestamps }, row);
    for (const item of kase.history) if (item !== kase.target) row[item] = Number.NEGATIVE_INFINITY;
    timeContext(timestamps, times[kase.historyEnd], trend.clock, contexts.subarray(s * TIME_CONTEXT_SIZE));
    const features = trend.features(); // the same array until the trend changes
    if (features !== trends.at(-1)) trends.push(features);
    trendOf[s] = trends.length - 1;
    targets[s++] = kase.target;
  };
  replayCases(cases, validation.casesCorpus, (item, time) => trend.add(item, time), visit);
  return { samples: { scores, targets, contexts, trends, trendOf, nItems: n }, trend };
}
