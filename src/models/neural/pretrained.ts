import type { FitReport, Recommender, RecQuery } from '../model.js';

/**
 * A trained model evaluated on a data set whose dense item indices may differ from the model's:
 * histories are mapped to the model's indices by external id (unknown items dropped), and items the
 * model never saw score lowest. `fit` does nothing: the model is already trained.
 */
export class PretrainedRecommender implements Recommender {
  readonly name: string;
  readonly config: Readonly<Record<string, unknown>>;
  private readonly modelIndexOf: Int32Array;
  private readonly modelScores: Float32Array;

  constructor(
    private readonly model: Recommender,
    modelItemIds: readonly string[],
    dataItemIds: readonly string[],
  ) {
    this.name = model.name;
    this.config = model.config;
    const byId = new Map(modelItemIds.map((id, index) => [id, index]));
    this.modelIndexOf = Int32Array.from(dataItemIds, (id) => byId.get(id) ?? -1);
    this.modelScores = new Float32Array(modelItemIds.length);
  }

  lastDiagnostics(): Readonly<Record<string, number>> {
    return this.model.lastDiagnostics?.() ?? {};
  }

  async fit(): Promise<FitReport> {
    return { seconds: 0 };
  }

  scoreAll(query: RecQuery, scoresByItem: Float32Array): void {
    const keep: number[] = [];
    for (let k = 0; k < query.history.length; k++) if (this.modelIndexOf[query.history[k]] >= 0) keep.push(k);
    const history = Int32Array.from(keep, (k) => this.modelIndexOf[query.history[k]]);
    const pickF64 = (a?: Float64Array) => a && Float64Array.from(keep, (k) => a[k]);
    const pickU8 = (a?: Uint8Array) => a && Uint8Array.from(keep, (k) => a[k]);
    this.model.scoreAll(
      {
        user: -1,
        history,
        timestamps: pickF64(query.timestamps),
        types: pickU8(query.types),
        context: query.context,
      },
      this.modelScores,
    );
    for (let j = 0; j < scoresByItem.length; j++) {
      const m = this.modelIndexOf[j];
      scoresByItem[j] = m >= 0 ? this.modelScores[m] : Number.NEGATIVE_INFINITY;
    }
  }
}
