import { TideError } from '../../core/errors.js';
import { unitRows } from '../../text/vectors.js';
import type { FitData, FitReport, Recommender, RecQuery } from '../model.js';
import { TextKnnConfig } from './config.js';

/**
 * Text-only nearest neighbours: score(j) = cos(mean of the text vectors of the user's last `recent`
 * items, text of j). Needs no interactions at all, so it can rank items nobody has touched: the
 * baseline that a text-aware sequence model must beat on cold items.
 */
export class TextKnnModel implements Recommender {
  readonly name = 'text-knn';
  readonly config: TextKnnConfig;
  /** Unit text vectors, row-major [nItems, dim]. */
  private rows = new Float32Array(0);
  private dim = 0;
  private profile = new Float32Array(0);

  constructor(config: Partial<TextKnnConfig> = {}) {
    this.config = TextKnnConfig.parse(config);
  }

  async fit({ itemText }: FitData): Promise<FitReport> {
    if (!itemText) throw new TideError('CONFIG', 'text-knn needs item text vectors (--text)');
    const { dim, vectors } = itemText;
    this.dim = dim;
    this.rows = unitRows(vectors, dim);
    this.profile = new Float32Array(dim);
    return { seconds: 0 };
  }

  scoreAll(query: RecQuery, scoresByItem: Float32Array): void {
    const { dim, rows, profile } = this;
    profile.fill(0);
    const history = query.history;
    for (let k = Math.max(0, history.length - this.config.recent); k < history.length; k++) {
      const offset = history[k] * dim;
      for (let d = 0; d < dim; d++) profile[d] += rows[offset + d];
    }
    // the profile's norm scales every score alike: a plain dot product ranks as the cosine does
    for (let item = 0; item < scoresByItem.length; item++) {
      let dot = 0;
      const offset = item * dim;
      for (let d = 0; d < dim; d++) dot += rows[offset + d] * profile[d];
      scoresByItem[item] = dot;
    }
  }
}
