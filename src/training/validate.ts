import * as tf from '@tensorflow/tfjs';
import type { SequenceCorpus } from '../data/corpus.js';
import { usersPerItem } from '../data/corpus.js';
import type { EvalCase } from '../data/split.js';
import { evaluateRanking } from '../eval/protocol.js';
import type { RecQuery, Scorer } from '../models/model.js';
import type { SequenceNetwork } from '../models/neural/network.js';
import { type BatchOptions, historyBatch } from './batches.js';

const SCORING_BATCH = 256;

/**
 * Full-ranking NDCG@10 / HR@10 / MRR of the network on validation cases, through the same protocol
 * `tide eval` uses. Scores are computed with tfjs (no dropout) for a chunk of cases at a time and
 * ranked at once, so memory stays at one chunk x items whatever the number of cases.
 */
export function validateNetwork(
  network: SequenceNetwork,
  casesCorpus: SequenceCorpus,
  fitCorpus: SequenceCorpus,
  cases: readonly EvalCase[],
  options: BatchOptions,
): Record<string, number> {
  const nItems = casesCorpus.nItems;
  const usersWithItem = usersPerItem(fitCorpus);
  const sums = { 'NDCG@10': 0, 'HR@10': 0, MRR: 0 };
  for (let from = 0; from < cases.length; from += SCORING_BATCH) {
    const chunk = cases.slice(from, from + SCORING_BATCH);
    const batch = historyBatch(
      casesCorpus,
      chunk.map((k) => ({ start: k.historyStart, end: k.historyEnd })),
      options,
    );
    // dataSync outside tidy: tfjs walks every element of a typed array returned from tidy (slow).
    const logits = tf.tidy(() => {
      const hidden = network.hidden(batch, false);
      const dim = hidden.shape[2];
      const last = tf
        .slice(hidden, [0, batch.length - 1, 0], [chunk.length, 1, dim])
        .reshape([chunk.length, dim]);
      const table = tf.slice(network.outputTable(), [1, 0], [nItems, dim]);
      const scores = tf.matMul(last, table, false, true);
      const bias = network.outputBias();
      return bias ? scores.add(tf.slice(bias, [1], [nItems])) : scores;
    });
    const scores = logits.dataSync() as Float32Array;
    logits.dispose();
    const result = evaluateRanking(new PrecomputedScorer(chunk, scores, nItems), chunk, {
      ks: [10],
      protocol: 'full',
      negatives: 100,
      seed: 0,
      corpus: casesCorpus,
      usersWithItem,
    });
    for (const name of Object.keys(sums) as (keyof typeof sums)[])
      sums[name] += result.metrics[name] * chunk.length;
  }
  const n = Math.max(cases.length, 1);
  return { 'NDCG@10': sums['NDCG@10'] / n, 'HR@10': sums['HR@10'] / n, MRR: sums.MRR / n };
}

/** Hands out rows of scores computed beforehand, one per case, by user. */
class PrecomputedScorer implements Scorer {
  private readonly rowOfUser = new Map<number, number>();

  constructor(
    cases: readonly EvalCase[],
    private readonly scores: Float32Array,
    private readonly nItems: number,
  ) {
    for (const [row, k] of cases.entries()) this.rowOfUser.set(k.user, row);
  }

  scoreAll(query: RecQuery, scoresByItem: Float32Array): void {
    const row = this.rowOfUser.get(query.user);
    if (row === undefined) throw new Error(`no precomputed scores for user ${query.user}`);
    scoresByItem.set(this.scores.subarray(row * this.nItems, (row + 1) * this.nItems));
  }
}
