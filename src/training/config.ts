import { z } from 'zod';

/** How a neural sequence model is trained; the family's own config shapes the network. */
export const TrainConfig = z
  .object({
    epochs: z.number().int().positive().default(200),
    batchSize: z.number().int().positive().default(128),
    learningRate: z.number().positive().default(0.001),
    /**
     * `constant`: learningRate throughout; `linear` and `cosine` lower it batch by batch from
     * learningRate to 0 at the end of `epochs` (a run that stops early ends partway down; a run
     * resumed with the same `epochs` continues the same curve).
     */
    schedule: z.enum(['constant', 'linear', 'cosine']).default('constant'),
    /** Decoupled (AdamW-style) weight decay applied after each Adam step, scaled as the learning rate. */
    weightDecay: z.number().min(0).default(0),
    /**
     * `full-ce`: softmax cross-entropy over every item (the strongest published SASRec variant);
     * `sampled-ce`: softmax over the target and `negatives` items shared by the batch;
     * `bce`: binary cross-entropy with one random negative per position (the original SASRec).
     */
    loss: z.enum(['full-ce', 'sampled-ce', 'bce']).default('full-ce'),
    negatives: z.number().int().positive().default(256),
    /** Stop when validation NDCG@10 has not improved for this many evaluations. */
    patience: z.number().int().positive().default(5),
    /** Evaluate on validation every this many epochs. */
    evalEvery: z.number().int().positive().default(1),
    /** Validation users scored per evaluation (a fixed, seeded subset when fewer than all). */
    validUsers: z.number().int().positive().default(100_000),
    seed: z.number().int().default(42),
    /**
     * `last`: each user's last maxLength events, one window per user per epoch (SASRec's reference
     * code); `all`: every event of a history, cut from the end into windows of maxLength.
     */
    windows: z.enum(['last', 'all']).default('last'),
    /**
     * How batches weigh against each other. Batches group histories of similar length (short
     * padding), so `batch` — each batch's loss the mean over its targets — weighs a target of a
     * short-history batch up to maxLength times more than one of a long-history batch. `target`
     * scales each batch by its share of the epoch's targets, so every target counts the same, as
     * with batches drawn at random (SASRec's reference code).
     */
    weighting: z.enum(['batch', 'target']).default('batch'),
    /**
     * Variables whose name starts with one of these keep their values (e.g. a warm start's layers
     * held while the rest adapts); each prefix must name at least one variable.
     */
    freeze: z.array(z.string().min(1)).default([]),
    /**
     * After training, fit the time head on the validation cases (data with times only): the model's
     * scores rescaled and joined by what is popular now, weighed by how long since the user's last
     * event (models/neural/time-head.ts).
     */
    timeHead: z.boolean().default(true),
    /**
     * After early stopping on the validation cases, train a fresh network on every event before the
     * test targets (the validation targets too) for the best epoch count; the gate check and the
     * time head, fitted on the held-out validation cases first, carry over. Unset: on when the cases
     * are the latest slice of time (a temporal split, `tide train --store`, `tide worker`), so that
     * the model knows the newest events; off for leave-one-out holdouts.
     */
    refit: z.boolean().optional(),
    /**
     * Seconds of training at most (`tide train --budget 1h`): no epoch starts that would end past it,
     * judged by the mean epoch so far; a refit gets what the first run left.
     */
    budgetSeconds: z.number().positive().optional(),
  })
  .strict();
export type TrainConfig = z.infer<typeof TrainConfig>;

/**
 * A model's config split into the keys of TrainConfig (epochs, loss, learningRate...) and the rest,
 * the family's network keys.
 *
 * @example
 * splitTrainingKeys({ dim: 64, epochs: 3 }); // { training: { epochs: 3 }, network: { dim: 64 } }
 */
export function splitTrainingKeys(config: Record<string, unknown>): {
  training: Record<string, unknown>;
  network: Record<string, unknown>;
} {
  const entries = Object.entries(config);
  const isTraining = ([key]: [string, unknown]) => Object.hasOwn(TrainConfig.shape, key);
  return {
    training: Object.fromEntries(entries.filter(isTraining)),
    network: Object.fromEntries(entries.filter((entry) => !isTraining(entry))),
  };
}
