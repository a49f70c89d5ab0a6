import { TideError } from '../../core/errors.js';
import type { FitData, FitReport, RatingPredictor, Recommender, RecQuery } from '../model.js';
import { BiasConfig } from './config.js';
import { clampedRating, fitRatingBiases, queryUserBias, type RatingBiases } from './rating-biases.js';

/**
 * The bias baseline for ratings: r(u, i) = mu + b_u + b_i with damped means, clamped to the rating
 * range seen in training. A user it never saw gets b_u from the ratings of the query's history. As
 * a ranker it orders items by b_i (b_u is the same for every item).
 */
export class BiasModel implements Recommender, RatingPredictor {
  readonly name = 'bias';
  readonly config: BiasConfig;
  private biases: RatingBiases | null = null;

  constructor(config: Partial<BiasConfig> = {}) {
    this.config = BiasConfig.parse(config);
  }

  async fit({ corpus }: FitData): Promise<FitReport> {
    const started = performance.now();
    this.biases = fitRatingBiases(corpus, this.config);
    return { seconds: (performance.now() - started) / 1000, epochs: this.config.rounds };
  }

  predictRating(query: RecQuery, item: number): number {
    const biases = this.fitted();
    const userBias = queryUserBias(biases, query);
    return clampedRating(biases, userBias, item);
  }

  scoreAll(_query: RecQuery, scoresByItem: Float32Array): void {
    const itemBias = this.biases?.itemBias;
    for (let i = 0; i < scoresByItem.length; i++) scoresByItem[i] = itemBias?.[i] ?? 0;
  }

  private fitted(): RatingBiases {
    if (!this.biases) throw new TideError('NOT_TRAINED', 'bias: fit the model before it rates');
    return this.biases;
  }
}
