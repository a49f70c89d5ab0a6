import { type ProgressReporter, silentProgress } from '../../core/progress.js';
import { Rng } from '../../core/random.js';
import { distinctUserItems, sortedHas, userOfEvents } from '../../data/corpus.js';
import type { FitData, FitReport, Recommender, RecQuery } from '../model.js';
import { BprConfig } from './config.js';
import { randomFactors } from './factors.js';

/**
 * BPR-MF (Rendle et al. 2009): matrix factorisation trained by SGD so that each user scores an item
 * they had above a random item they did not. score(u, j) = p_u · q_j + b_j. A user unknown to the
 * model is folded in as the mean factor of their history items.
 */
export class BprModel implements Recommender {
  readonly name = 'bpr';
  readonly config: BprConfig;
  /** Row-major [nUsers x dim] and [nItems x dim]. */
  private userFactors: Float32Array = new Float32Array(0);
  private itemFactors: Float32Array = new Float32Array(0);
  private itemBias: Float32Array = new Float32Array(0);
  private readonly foldIn: Float32Array;

  constructor(config: Partial<BprConfig> = {}) {
    this.config = BprConfig.parse(config);
    this.foldIn = new Float32Array(this.config.dim);
  }

  async fit({ corpus }: FitData, progress: ProgressReporter = silentProgress): Promise<FitReport> {
    const started = performance.now();
    const { dim, learningRate: lr, regularization: reg, epochs } = this.config;
    const rng = new Rng(this.config.seed);
    const known = distinctUserItems(corpus);
    const userOfEvent = userOfEvents(corpus);
    this.userFactors = randomFactors(corpus.nUsers * dim, this.config.initScale, rng);
    this.itemFactors = randomFactors(corpus.nItems * dim, this.config.initScale, rng);
    this.itemBias = new Float32Array(corpus.nItems);
    const [P, Q, B] = [this.userFactors, this.itemFactors, this.itemBias];
    const samples = corpus.items.length;
    let loss = 0;
    progress.start('BPR epochs', epochs);
    for (let epoch = 0; epoch < epochs; epoch++) {
      let lossSum = 0;
      for (let s = 0; s < samples; s++) {
        const event = rng.below(samples);
        const u = userOfEvent[event];
        const i = corpus.items[event];
        const row = known.items.subarray(known.offsets[u], known.offsets[u + 1]);
        if (row.length >= corpus.nItems) continue;
        let j = rng.below(corpus.nItems);
        while (sortedHas(row, j)) j = rng.below(corpus.nItems);
        const pu = u * dim;
        const qi = i * dim;
        const qj = j * dim;
        let x = B[i] - B[j];
        for (let d = 0; d < dim; d++) x += P[pu + d] * (Q[qi + d] - Q[qj + d]);
        const g = 1 / (1 + Math.exp(x));
        lossSum += x > 0 ? Math.log1p(Math.exp(-x)) : -x + Math.log1p(Math.exp(x));
        for (let d = 0; d < dim; d++) {
          const p = P[pu + d];
          const diff = Q[qi + d] - Q[qj + d];
          P[pu + d] += lr * (g * diff - reg * p);
          Q[qi + d] += lr * (g * p - reg * Q[qi + d]);
          Q[qj + d] += lr * (-g * p - reg * Q[qj + d]);
        }
        B[i] += lr * (g - reg * B[i]);
        B[j] += lr * (-g - reg * B[j]);
      }
      loss = lossSum / samples;
      progress.tick(1, { epoch: epoch + 1, loss: Number(loss.toFixed(4)) });
    }
    progress.done({ loss: Number(loss.toFixed(4)) });
    return { seconds: (performance.now() - started) / 1000, epochs, loss };
  }

  scoreAll(query: RecQuery, scoresByItem: Float32Array): void {
    const dim = this.config.dim;
    const nUsers = this.userFactors.length / dim;
    const known = query.user >= 0 && query.user < nUsers;
    const user = known
      ? this.userFactors.subarray(query.user * dim, (query.user + 1) * dim)
      : this.foldInUser(query.history);
    const Q = this.itemFactors;
    const scored = Math.min(scoresByItem.length, this.itemBias.length);
    for (let j = 0; j < scored; j++) {
      let s = this.itemBias[j];
      const qj = j * dim;
      for (let d = 0; d < dim; d++) s += user[d] * Q[qj + d];
      scoresByItem[j] = s;
    }
    scoresByItem.fill(0, scored);
  }

  private foldInUser(history: Int32Array): Float32Array {
    const dim = this.config.dim;
    this.foldIn.fill(0);
    const nItems = this.itemBias.length;
    let count = 0;
    for (const item of history) {
      if (item >= nItems) continue;
      for (let d = 0; d < dim; d++) this.foldIn[d] += this.itemFactors[item * dim + d];
      count++;
    }
    if (count > 0) for (let d = 0; d < dim; d++) this.foldIn[d] /= count;
    return this.foldIn;
  }
}
