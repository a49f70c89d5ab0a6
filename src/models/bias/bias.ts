import { TideError } from '../../core/errors.js';
import type { FitData, FitReport, RatingPredictor, Recommender, RecQuery } from '../model.js';
import { BiasConfig } from './config.js';

/**
 * The bias baseline for ratings: r(u, i) = mu + b_u + b_i with damped means, clamped to the rating
 * range seen in training. As a ranker it orders items by b_i (b_u is the same for every item).
 */
export class BiasModel implements Recommender, RatingPredictor {
  readonly name = 'bias';
  readonly config: BiasConfig;
  private globalMean = 0;
  private userBias: Float64Array = new Float64Array(0);
  private itemBias: Float64Array = new Float64Array(0);
  private range: [number, number] = [Number.NEGATIVE_INFINITY, Number.POSITIVE_INFINITY];

  constructor(config: Partial<BiasConfig> = {}) {
    this.config = BiasConfig.parse(config);
  }

  async fit({ corpus }: FitData): Promise<FitReport> {
    const started = performance.now();
    const values = corpus.values;
    if (!values)
      throw new TideError('INVALID_INPUT', 'the bias baseline needs rating values, and this data has none');
    let sum = 0;
    let count = 0;
    let [low, high] = [Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY];
    for (const v of values) {
      if (Number.isNaN(v)) continue;
      sum += v;
      count++;
      low = Math.min(low, v);
      high = Math.max(high, v);
    }
    if (count === 0)
      throw new TideError('INVALID_INPUT', 'the bias baseline needs rating values, and none is set');
    this.globalMean = sum / count;
    this.range = [low, high];
    this.userBias = new Float64Array(corpus.nUsers);
    this.itemBias = new Float64Array(corpus.nItems);
    for (let round = 0; round < this.config.rounds; round++) {
      const itemSum = new Float64Array(corpus.nItems);
      const itemCount = new Float64Array(corpus.nItems);
      forEachRating(corpus, values, (u, i, r) => {
        itemSum[i] += r - this.globalMean - this.userBias[u];
        itemCount[i]++;
      });
      for (let i = 0; i < corpus.nItems; i++)
        this.itemBias[i] = itemSum[i] / (itemCount[i] + this.config.itemDamping);
      const userSum = new Float64Array(corpus.nUsers);
      const userCount = new Float64Array(corpus.nUsers);
      forEachRating(corpus, values, (u, i, r) => {
        userSum[u] += r - this.globalMean - this.itemBias[i];
        userCount[u]++;
      });
      for (let u = 0; u < corpus.nUsers; u++)
        this.userBias[u] = userSum[u] / (userCount[u] + this.config.userDamping);
    }
    return { seconds: (performance.now() - started) / 1000, epochs: this.config.rounds };
  }

  predictRating(user: number, item: number): number {
    const raw = this.globalMean + (this.userBias[user] ?? 0) + (this.itemBias[item] ?? 0);
    return Math.min(this.range[1], Math.max(this.range[0], raw));
  }

  scoreAll(_query: RecQuery, scoresByItem: Float32Array): void {
    for (let i = 0; i < scoresByItem.length; i++) scoresByItem[i] = this.itemBias[i] ?? 0;
  }
}

function forEachRating(
  corpus: FitData['corpus'],
  values: Float32Array,
  visit: (user: number, item: number, rating: number) => void,
): void {
  for (let u = 0; u < corpus.nUsers; u++) {
    for (let p = corpus.offsets[u]; p < corpus.offsets[u + 1]; p++) {
      if (!Number.isNaN(values[p])) visit(u, corpus.items[p], values[p]);
    }
  }
}
