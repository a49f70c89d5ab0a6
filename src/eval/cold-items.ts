/**
 * The cold-start protocol: a random share of the items is held out of training entirely (every event
 * with them is removed from what models fit on), then ranking is measured on the test cases whose
 * target is one of them, beside the usual measurement on all cases.
 */
import { Rng } from '../core/random.js';
import type { SequenceCorpus } from '../data/corpus.js';
import type { Split, Stage } from '../data/split.js';

export interface ColdItems {
  /** Dense indices of the held-out items, ascending. */
  readonly items: Int32Array;
  /** 1 at each held-out item's index. */
  readonly isHeldOut: Uint8Array;
}

/**
 * A seeded random `fraction` of `nItems` items.
 *
 * @example
 * const cold = pickColdItems(dataset.nItems, 0.1, 42);
 */
export function pickColdItems(nItems: number, fraction: number, seed: number): ColdItems {
  const count = Math.round(nItems * fraction);
  const order = new Rng(seed).shuffle(Array.from({ length: nItems }, (_, i) => i));
  const items = Int32Array.from(order.slice(0, count)).sort();
  const isHeldOut = new Uint8Array(nItems);
  for (const item of items) isHeldOut[item] = 1;
  return { items, isHeldOut };
}

/** The corpus with every event on a held-out item removed (users keep their other events, in order). */
export function withoutItems(corpus: SequenceCorpus, cold: ColdItems): SequenceCorpus {
  const keep: number[] = [];
  const offsets = new Int32Array(corpus.nUsers + 1);
  for (let u = 0; u < corpus.nUsers; u++) {
    for (let p = corpus.offsets[u]; p < corpus.offsets[u + 1]; p++)
      if (!cold.isHeldOut[corpus.items[p]]) keep.push(p);
    offsets[u + 1] = keep.length;
  }
  const at = (values: ArrayLike<number>) => (p: number) => values[p];
  return {
    nUsers: corpus.nUsers,
    nItems: corpus.nItems,
    offsets,
    items: Int32Array.from(keep, at(corpus.items)),
    timestamps: corpus.timestamps && Float64Array.from(keep, at(corpus.timestamps)),
    types: Uint8Array.from(keep, at(corpus.types)),
    values: corpus.values && Float32Array.from(keep, at(corpus.values)),
  };
}

/**
 * The split with the held-out items removed from every fit corpus and from the validation targets;
 * test cases are unchanged (their histories may hold cold items, as they would in service).
 */
export function withColdItems(split: Split, cold: ColdItems): Split {
  return {
    kind: split.kind,
    validation: split.validation,
    description: `${split.description}; ${cold.items.length} items held out of training`,
    fitCorpus: (stage: Stage) => withoutItems(split.fitCorpus(stage), cold),
    cases: (stage: Stage) =>
      stage === 'valid' ? split.cases(stage).filter((c) => !cold.isHeldOut[c.target]) : split.cases(stage),
  };
}
