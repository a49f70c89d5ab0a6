/** The category head's names and plain-TS inference; fitting it lives in training/category-head.ts. */
import { softmaxInPlace, vecMat } from '../../nn/scalar.js';
import type { NamedWeights } from './network.js';

export const CATEGORY_KERNEL = 'category/kernel';
export const CATEGORY_BIAS = 'category/bias';

/** Item categories as a vocabulary and, per dense item, the indices of its categories. */
export interface CategoryVocabulary {
  names: string[];
  ofItem: Int32Array[];
}

export function categoryVocabulary(itemCategories: readonly (readonly string[])[]): CategoryVocabulary {
  const index = new Map<string, number>();
  const ofItem = itemCategories.map((cats) =>
    Int32Array.from(cats, (c) => {
      if (!index.has(c)) index.set(c, index.size);
      return index.get(c)!;
    }),
  );
  return { names: [...index.keys()], ofItem };
}

/** P(c | u) in plain TS from the saved head. */
export function categoryDistribution(weights: NamedWeights, user: Float32Array, out: Float32Array): void {
  const kernel = weights.get(CATEGORY_KERNEL)!;
  vecMat(user, kernel.data, kernel.shape[1], out, weights.get(CATEGORY_BIAS)!.data);
  softmaxInPlace(out, 0, kernel.shape[1]);
}
