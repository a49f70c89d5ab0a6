import { itemEventCounts } from '../../data/corpus.js';
import type { FitData, FitReport, Recommender, RecQuery } from '../model.js';
import { MarkovConfig } from './config.js';

/**
 * First-order Markov chain on the last item: score(j) = count(last -> j) over consecutive pairs in
 * training histories, plus popularity / (max popularity + 1) so that ties (and users whose last item
 * was never followed) fall back to popularity without ever outranking a transition.
 */
export class MarkovModel implements Recommender {
  readonly name = 'markov';
  readonly config: MarkovConfig;
  /** Transition rows in compressed-row layout: successors of item a are rowItems[rowStart[a]..rowStart[a+1]). */
  private rowStart: Int32Array = new Int32Array(1);
  private rowItems: Int32Array = new Int32Array(0);
  private rowCounts: Float64Array = new Float64Array(0);
  private fallback: Float32Array = new Float32Array(0);

  constructor(config: Partial<MarkovConfig> = {}) {
    this.config = MarkovConfig.parse(config);
  }

  async fit({ corpus }: FitData): Promise<FitReport> {
    const started = performance.now();
    const n = corpus.nItems;
    const outDegree = new Int32Array(n + 1);
    forEachPair(corpus, (a) => outDegree[a + 1]++);
    for (let a = 0; a < n; a++) outDegree[a + 1] += outDegree[a];
    const successors = new Int32Array(outDegree[n]);
    const fill = outDegree.slice(0, n);
    forEachPair(corpus, (a, b) => {
      successors[fill[a]++] = b;
    });
    const starts = [0];
    const items: number[] = [];
    const counts: number[] = [];
    for (let a = 0; a < n; a++) {
      const row = successors.subarray(outDegree[a], outDegree[a + 1]).sort();
      for (let k = 0; k < row.length; k++) {
        if (k > 0 && row[k] === row[k - 1]) counts[counts.length - 1]++;
        else {
          items.push(row[k]);
          counts.push(1);
        }
      }
      starts.push(items.length);
    }
    this.rowStart = Int32Array.from(starts);
    this.rowItems = Int32Array.from(items);
    this.rowCounts = Float64Array.from(counts);
    const popularity = itemEventCounts(corpus);
    const maxPop = popularity.reduce((m, v) => Math.max(m, v), 0);
    this.fallback = this.config.popularityTieBreak
      ? Float32Array.from(popularity, (p) => p / (maxPop + 1))
      : new Float32Array(n);
    return { seconds: (performance.now() - started) / 1000 };
  }

  scoreAll(query: RecQuery, scoresByItem: Float32Array): void {
    scoresByItem.set(this.fallback);
    if (query.history.length === 0) return;
    const last = query.history[query.history.length - 1];
    if (last >= this.rowStart.length - 1) return;
    for (let k = this.rowStart[last]; k < this.rowStart[last + 1]; k++) {
      scoresByItem[this.rowItems[k]] += this.rowCounts[k];
    }
  }
}

function forEachPair(corpus: FitData['corpus'], visit: (from: number, to: number) => void): void {
  for (let u = 0; u < corpus.nUsers; u++) {
    for (let p = corpus.offsets[u] + 1; p < corpus.offsets[u + 1]; p++)
      visit(corpus.items[p - 1], corpus.items[p]);
  }
}
