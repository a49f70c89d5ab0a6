import { itemEventCounts } from '../../data/corpus.js';
import type { FitData, FitReport, Recommender, RecQuery } from '../model.js';
import { PopConfig } from './config.js';

/**
 * MostPop: every user gets the items with the most training events.
 *
 * @example
 * const pop = new PopularityModel();
 * await pop.fit({ corpus });
 */
export class PopularityModel implements Recommender {
  readonly name = 'pop';
  readonly config: PopConfig;
  private counts: Float64Array = new Float64Array(0);

  constructor(config: Partial<PopConfig> = {}) {
    this.config = PopConfig.parse(config);
  }

  async fit(data: FitData): Promise<FitReport> {
    const started = performance.now();
    this.counts = itemEventCounts(data.corpus);
    return { seconds: (performance.now() - started) / 1000 };
  }

  scoreAll(_query: RecQuery, scoresByItem: Float32Array): void {
    for (let i = 0; i < scoresByItem.length; i++) scoresByItem[i] = this.counts[i] ?? 0;
  }
}
