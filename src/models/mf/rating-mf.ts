import { TideError } from '../../core/errors.js';
import { type ProgressReporter, silentProgress } from '../../core/progress.js';
import { Rng } from '../../core/random.js';
import { userOfEvents } from '../../data/corpus.js';
import { BiasConfig } from '../bias/config.js';
import {
  clampedRating,
  fitRatingBiases,
  queryUserBias,
  type RatingBiases,
  ratedInFit,
  ratingsOf,
} from '../bias/rating-biases.js';
import type { FitData, FitReport, RatingPredictor, Recommender, RecQuery } from '../model.js';
import { RatingMfConfig } from './config.js';
import { randomFactors } from './factors.js';

/**
 * Matrix factorisation of the ratings (Koren's biased MF, "SVD" of the Netflix prize):
 * r(u, i) = mu + b_u + b_i + p_u · q_i, by SGD on the squared error, biases started from the bias
 * baseline. A user whose ratings it never saw gets b_u from the ratings of the query's history and
 * no factor. As a ranker it orders items by the predicted rating.
 *
 * @example
 * const mf = new RatingMfModel({ dim: 32 });
 * await mf.fit({ corpus });
 * mf.predictRating({ user: 0, history }, item);
 */
export class RatingMfModel implements Recommender, RatingPredictor {
  readonly name = 'mf';
  readonly config: RatingMfConfig;
  private biases: RatingBiases | null = null;
  /** Row-major [nUsers x dim] and [nItems x dim]. */
  private userFactors: Float32Array = new Float32Array(0);
  private itemFactors: Float32Array = new Float32Array(0);

  constructor(config: Partial<RatingMfConfig> = {}) {
    this.config = RatingMfConfig.parse(config);
  }

  async fit({ corpus }: FitData, progress: ProgressReporter = silentProgress): Promise<FitReport> {
    const started = performance.now();
    const { dim, learningRate: lr, regularization: reg, epochs } = this.config;
    const biases = fitRatingBiases(corpus, BiasConfig.parse({}));
    this.biases = biases;
    const values = ratingsOf(corpus.values, corpus.types)!;
    const rng = new Rng(this.config.seed);
    const rated: number[] = [];
    for (let p = 0; p < values.length; p++) if (!Number.isNaN(values[p])) rated.push(p);
    const userOf = userOfEvents(corpus);
    this.userFactors = randomFactors(corpus.nUsers * dim, this.config.initScale, rng);
    this.itemFactors = randomFactors(corpus.nItems * dim, this.config.initScale, rng);
    const [P, Q] = [this.userFactors, this.itemFactors];
    const { userBias: bu, itemBias: bi, globalMean: mu } = biases;
    let loss = 0;
    progress.start('MF epochs', epochs);
    for (let epoch = 0; epoch < epochs; epoch++) {
      let squared = 0;
      for (const p of rng.shuffle(rated)) {
        const u = userOf[p];
        const i = corpus.items[p];
        const pu = u * dim;
        const qi = i * dim;
        let dot = 0;
        for (let d = 0; d < dim; d++) dot += P[pu + d] * Q[qi + d];
        const error = values[p] - (mu + bu[u] + bi[i] + dot);
        squared += error * error;
        bu[u] += lr * (error - reg * bu[u]);
        bi[i] += lr * (error - reg * bi[i]);
        for (let d = 0; d < dim; d++) {
          const pf = P[pu + d];
          P[pu + d] += lr * (error * Q[qi + d] - reg * pf);
          Q[qi + d] += lr * (error * pf - reg * Q[qi + d]);
        }
      }
      loss = squared / Math.max(rated.length, 1);
      progress.tick(1, { epoch: epoch + 1, mse: Number(loss.toFixed(4)) });
    }
    progress.done({ mse: Number(loss.toFixed(4)) });
    return { seconds: (performance.now() - started) / 1000, epochs, loss };
  }

  predictRating(query: RecQuery, item: number): number {
    const biases = this.fitted();
    return clampedRating(biases, queryUserBias(biases, query), item, this.dot(query.user, item));
  }

  /** Items by predicted rating, unclamped (clamped, those above the scale would tie). */
  scoreAll(query: RecQuery, scoresByItem: Float32Array): void {
    const biases = this.fitted();
    const base = biases.globalMean + queryUserBias(biases, query);
    // the user's factor term is 0 for every item when the fit never saw their ratings
    const user = ratedInFit(biases, query.user) ? query.user : -1;
    for (let i = 0; i < scoresByItem.length; i++)
      scoresByItem[i] = base + (biases.itemBias[i] ?? 0) + (user < 0 ? 0 : this.dot(user, i));
  }

  /** p_u · q_i; 0 for a user whose ratings the fit never saw, or an item it never saw. */
  private dot(user: number, item: number): number {
    const dim = this.config.dim;
    if (!ratedInFit(this.fitted(), user)) return 0;
    if ((item + 1) * dim > this.itemFactors.length) return 0;
    let sum = 0;
    for (let d = 0; d < dim; d++) sum += this.userFactors[user * dim + d] * this.itemFactors[item * dim + d];
    return sum;
  }

  private fitted(): RatingBiases {
    if (!this.biases) throw new TideError('NOT_TRAINED', 'mf: fit the model before it rates or ranks');
    return this.biases;
  }
}
