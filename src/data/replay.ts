import type { SequenceCorpus } from './corpus.js';
import type { EvalCase } from './split.js';

/**
 * Visits temporal cases in time order and, before each, passes `observe` every event of the corpus from
 * the cases' earliest cut (origin) up to the case's time, in time order: the events a deployed system
 * would have received from everyone meanwhile. Cases without an origin (leave-one-out, where there is
 * no common time) are visited in their order with nothing observed. The corpus must be the one the
 * cases point into.
 *
 * @example
 * replayCases(split.cases('test'), dataset, (item, time) => trend.add(item, time), (kase) => score(kase));
 */
export function replayCases(
  cases: readonly EvalCase[],
  corpus: SequenceCorpus,
  observe: (item: number, timeMs: number) => void,
  visit: (kase: EvalCase) => void,
): void {
  const times = corpus.timestamps;
  const origins = cases.flatMap((kase) => (kase.origin === undefined ? [] : [kase.origin]));
  if (!times || origins.length < cases.length || cases.length === 0) {
    for (const kase of cases) visit(kase);
    return;
  }
  const from = origins.reduce((a, b) => Math.min(a, b));
  const order = [...cases].sort((a, b) => times[a.historyEnd] - times[b.historyEnd]);
  const events: number[] = [];
  for (let p = 0; p < times.length; p++) if (times[p] >= from) events.push(p);
  events.sort((a, b) => times[a] - times[b]);
  let next = 0;
  for (const kase of order) {
    const now = times[kase.historyEnd];
    for (; next < events.length && times[events[next]] < now; next++)
      observe(corpus.items[events[next]], times[events[next]]);
    visit(kase);
  }
}
