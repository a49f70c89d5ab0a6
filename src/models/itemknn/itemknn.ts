import { type ProgressReporter, silentProgress } from '../../core/progress.js';
import { distinctUserItems } from '../../data/corpus.js';
import type { FitData, FitReport, Recommender, RecQuery } from '../model.js';
import { ItemKnnConfig } from './config.js';

/**
 * Item-based k-nearest neighbours: cosine similarity between items over the sets of users who had
 * them (co-occurrence), the top neighbours of each kept, and a user's score for j the
 * recency-weighted sum of sim(h, j) over their distinct history items h.
 */
export class ItemKnnModel implements Recommender {
  readonly name = 'itemknn';
  readonly config: ItemKnnConfig;
  /** Neighbours of item i are neighbourItems[neighbourStart[i] .. neighbourStart[i+1]). */
  private neighbourStart: Int32Array = new Int32Array(1);
  private neighbourItems: Int32Array = new Int32Array(0);
  private neighbourSims: Float32Array = new Float32Array(0);

  constructor(config: Partial<ItemKnnConfig> = {}) {
    this.config = ItemKnnConfig.parse(config);
  }

  async fit({ corpus }: FitData, progress: ProgressReporter = silentProgress): Promise<FitReport> {
    const started = performance.now();
    const byUser = distinctUserItems(corpus);
    const byItem = invert(byUser, corpus.nItems);
    const n = corpus.nItems;
    const k = Math.min(this.config.neighbours, Math.max(n - 1, 0));
    const coCounts = new Float64Array(n);
    const touched = new Int32Array(n);
    this.neighbourStart = new Int32Array(n + 1);
    this.neighbourItems = new Int32Array(n * k);
    this.neighbourSims = new Float32Array(n * k);
    progress.start('item similarities', n);
    let written = 0;
    for (let i = 0; i < n; i++) {
      let nTouched = 0;
      for (let a = byItem.offsets[i]; a < byItem.offsets[i + 1]; a++) {
        const u = byItem.users[a];
        for (let b = byUser.offsets[u]; b < byUser.offsets[u + 1]; b++) {
          const j = byUser.items[b];
          if (coCounts[j] === 0) touched[nTouched++] = j;
          coCounts[j]++;
        }
      }
      written = this.keepBest(i, touched, nTouched, coCounts, byItem.offsets, k, written);
      this.neighbourStart[i + 1] = written;
      if ((i & 255) === 255) progress.tick(256);
    }
    progress.done();
    return { seconds: (performance.now() - started) / 1000 };
  }

  /** Turns co-occurrence counts into similarities, keeps the k best, clears the counts. */
  private keepBest(
    i: number,
    touched: Int32Array,
    nTouched: number,
    coCounts: Float64Array,
    itemOffsets: Int32Array,
    k: number,
    written: number,
  ): number {
    const usersOf = (item: number) => itemOffsets[item + 1] - itemOffsets[item];
    const candidates: { item: number; sim: number }[] = [];
    for (let t = 0; t < nTouched; t++) {
      const j = touched[t];
      if (j !== i) {
        const sim = coCounts[j] / (Math.sqrt(usersOf(i) * usersOf(j)) + this.config.shrink);
        candidates.push({ item: j, sim });
      }
      coCounts[j] = 0;
    }
    candidates.sort((x, y) => y.sim - x.sim || x.item - y.item);
    for (let c = 0; c < Math.min(k, candidates.length); c++) {
      this.neighbourItems[written] = candidates[c].item;
      this.neighbourSims[written++] = candidates[c].sim;
    }
    return written;
  }

  scoreAll(query: RecQuery, scoresByItem: Float32Array): void {
    scoresByItem.fill(0);
    const seen = new Set<number>();
    let weight = 1;
    for (let p = query.history.length - 1; p >= 0; p--, weight *= this.config.recencyDecay) {
      const h = query.history[p];
      if (seen.has(h) || h >= this.neighbourStart.length - 1) continue;
      seen.add(h);
      for (let a = this.neighbourStart[h]; a < this.neighbourStart[h + 1]; a++) {
        scoresByItem[this.neighbourItems[a]] += weight * this.neighbourSims[a];
      }
      if (weight < 1e-6) break;
    }
  }
}

/** Users of each item, from each user's distinct items. */
function invert(byUser: { offsets: Int32Array; items: Int32Array }, nItems: number) {
  const offsets = new Int32Array(nItems + 1);
  for (let a = 0; a < byUser.items.length; a++) offsets[byUser.items[a] + 1]++;
  for (let i = 0; i < nItems; i++) offsets[i + 1] += offsets[i];
  const fill = offsets.slice(0, nItems);
  const users = new Int32Array(byUser.items.length);
  for (let u = 0; u + 1 < byUser.offsets.length; u++) {
    for (let a = byUser.offsets[u]; a < byUser.offsets[u + 1]; a++) users[fill[byUser.items[a]]++] = u;
  }
  return { offsets, users };
}
