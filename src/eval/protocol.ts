import { type ProgressReporter, silentProgress } from '../core/progress.js';
import { Rng } from '../core/random.js';
import type { SequenceCorpus } from '../data/corpus.js';
import { replayCases } from '../data/replay.js';
import type { EvalCase } from '../data/split.js';
import type { RecQuery, Scorer } from '../models/model.js';
import { catalogCoverage, exposureGini, intraListDiversity, novelty } from './beyond-accuracy.js';
import { positionAmong, positionsAmong, topK } from './ranking.js';
import {
  expectedDiscountedGain,
  expectedHit,
  expectedReciprocalRank,
  expectedSetMetrics,
  type RankPosition,
} from './tie-aware.js';

export type RankingProtocol = 'full' | 'sampled';

export interface RankingOptions {
  /** Cut-offs for HR/NDCG/Recall/Precision. */
  ks: readonly number[];
  /** `full` ranks against every item not in the history; `sampled` against `negatives` random ones. */
  protocol: RankingProtocol;
  negatives: number;
  seed: number;
  /** The corpus the cases point into (for timestamps of the history). */
  corpus: SequenceCorpus;
  /** Per item, how many training users had it (for novelty). */
  usersWithItem: ArrayLike<number>;
  /**
   * Replay the log to the scorer (temporal cases, which share one origin): cases go in time order, and
   * before each, every event of `corpus` from the origin up to the case's time is passed to
   * `scorer.observe` — what a deployed system would have received from other users meanwhile. The
   * cases' own histories stay as they are.
   */
  replay?: boolean;
  /** Called with every case's top list (dense items, best first) as it is ranked. */
  onList?: (kase: EvalCase, list: Int32Array) => void;
  /** Distance between two items for intra-list diversity; omitted when unknown. */
  itemDistance?: (a: number, b: number) => number;
  progress?: ProgressReporter;
}

export interface RankingResult {
  /** e.g. {"NDCG@10": 0.11, "HR@10": 0.19, "MRR": 0.07, ...} */
  metrics: Record<string, number>;
  users: number;
  /** The protocol as it should be printed: `full` or `sampled-100`. */
  protocol: string;
}

/**
 * Scores every case with the model and computes accuracy (exact expectation over score ties)
 * and beyond-accuracy metrics of the top-k lists, where a user's history items (other than the
 * relevant ones) are never recommended.
 */
export function evaluateRanking(
  scorer: Scorer,
  cases: readonly EvalCase[],
  options: RankingOptions,
): RankingResult {
  const { corpus, ks } = options;
  const listLength = Math.max(...ks);
  const progress = options.progress ?? silentProgress;
  const scores = new Float32Array(corpus.nItems);
  const excluded = new Int32Array(corpus.nItems);
  const rng = new Rng(options.seed);
  const sums = new Map<string, number>();
  const add = (name: string, value: number) => sums.set(name, (sums.get(name) ?? 0) + value);
  const lists: Int32Array[] = [];
  /** The fused gate a of every case, for its spread (a mean alone hides a constant). */
  const gates: number[] = [];
  progress.start('ranking', cases.length);
  let reported = 0;
  let c = 0;
  const visit = (kase: EvalCase) => {
    scorer.scoreAll(queryOf(kase, corpus), scores);
    const diagnostics = scorer.lastDiagnostics?.() ?? {};
    for (const [name, value] of Object.entries(diagnostics)) add(`mean ${name}`, value);
    if (diagnostics.a !== undefined) gates.push(diagnostics.a);
    const stamp = c + 1;
    for (const item of kase.history) excluded[item] = stamp;
    for (const item of kase.relevant) excluded[item] = 0;
    const list = topK(scores, listLength, excluded, stamp);
    lists.push(list);
    options.onList?.(kase, list);
    if (options.protocol === 'full') {
      addFullRanking(scores, kase, excluded, stamp, ks, add);
    } else {
      const target = sampledPosition(scores, kase, excluded, stamp, options.negatives, rng);
      for (const k of ks) {
        add(`HR@${k}`, expectedHit(target, k));
        add(`NDCG@${k}`, expectedDiscountedGain(target, k));
      }
      add('MRR', expectedReciprocalRank(target));
    }
    c++;
    if ((c & 127) === 0 || c === cases.length) {
      progress.tick(c - reported, runningNdcg(sums, ks, c));
      reported = c;
    }
  };
  if (options.replay && scorer.observe) replayCases(cases, corpus, scorer.observe.bind(scorer), visit);
  else for (const kase of cases) visit(kase);
  const metrics: Record<string, number> = {};
  for (const [name, sum] of sums) metrics[name] = cases.length ? sum / cases.length : 0;
  if (gates.length > 0) {
    gates.sort((x, y) => x - y);
    for (const q of [10, 50, 90])
      metrics[`a p${q}`] = gates[Math.min(gates.length - 1, Math.floor((q / 100) * gates.length))];
  }
  metrics[`Coverage@${listLength}`] = catalogCoverage(lists, corpus.nItems);
  metrics[`Gini@${listLength}`] = exposureGini(lists, corpus.nItems);
  metrics[`Novelty@${listLength}`] = novelty(lists, options.usersWithItem, corpus.nUsers);
  if (options.itemDistance) metrics[`ILD@${listLength}`] = intraListDiversity(lists, options.itemDistance);
  progress.done(runningNdcg(sums, ks, cases.length));
  const protocol = options.protocol === 'full' ? 'full' : `sampled-${options.negatives}`;
  return { metrics, users: cases.length, protocol };
}

function addFullRanking(
  scores: Float32Array,
  kase: EvalCase,
  excluded: Int32Array,
  stamp: number,
  ks: readonly number[],
  add: (name: string, value: number) => void,
): void {
  const target = positionAmong(scores, kase.target, excluded, stamp);
  const relevantPositions: RankPosition[] =
    kase.relevant.length === 1 ? [target] : positionsAmong(scores, kase.relevant, excluded, stamp);
  for (const k of ks) {
    add(`HR@${k}`, expectedHit(target, k));
    add(`NDCG@${k}`, expectedDiscountedGain(target, k));
    const set = expectedSetMetrics(relevantPositions, k);
    add(`Recall@${k}`, set.recall);
    add(`Precision@${k}`, set.precision);
  }
  add('MRR', expectedReciprocalRank(target));
}

/** The target's position among `negatives` items drawn uniformly from those not in the history. */
function sampledPosition(
  scores: Float32Array,
  kase: EvalCase,
  excluded: Int32Array,
  stamp: number,
  negatives: number,
  rng: Rng,
): RankPosition {
  let available = 0;
  for (let i = 0; i < scores.length; i++) if (excluded[i] !== stamp && i !== kase.target) available++;
  if (available <= negatives) return positionAmong(scores, kase.target, excluded, stamp);
  const s = scores[kase.target];
  let greater = 0;
  let equal = 0;
  for (let drawn = 0; drawn < negatives; ) {
    const item = rng.below(scores.length);
    if (excluded[item] === stamp || item === kase.target) continue;
    drawn++;
    const v = scores[item];
    if (v > s || (Number.isNaN(s) && !Number.isNaN(v))) greater++;
    else if (v === s || (Number.isNaN(v) && Number.isNaN(s))) equal++;
  }
  return { greater, equal };
}

/** What a model is asked for a case: its history with times, types and values, at the target's time. */
export function queryOf(kase: EvalCase, corpus: SequenceCorpus): RecQuery {
  const timestamps = corpus.timestamps?.subarray(kase.historyStart, kase.historyEnd);
  const types = corpus.types.subarray(kase.historyStart, kase.historyEnd);
  const values = corpus.values?.subarray(kase.historyStart, kase.historyEnd);
  const now = corpus.timestamps?.[kase.historyEnd];
  return { user: kase.user, history: kase.history, timestamps, types, values, now };
}

function runningNdcg(sums: Map<string, number>, ks: readonly number[], n: number): Record<string, number> {
  const k = ks.includes(10) ? 10 : ks[0];
  return { [`NDCG@${k}`]: Number(((sums.get(`NDCG@${k}`) ?? 0) / Math.max(n, 1)).toFixed(4)) };
}
