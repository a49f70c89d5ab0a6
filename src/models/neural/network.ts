import type * as tf from '@tensorflow/tfjs';
import type { z } from 'zod';

/**
 * One training batch of left-padded sequences, row-major [batchSize, length].
 * Item ids are dense item index + 1; 0 is padding. Every position with a target predicts it
 * (SASRec-style: position t sees inputs 0..t and predicts targets[t], the next item).
 */
export interface SequenceBatch {
  readonly batchSize: number;
  readonly length: number;
  readonly inputs: Int32Array;
  /** Next item (+1) at each position; 0 where there is none (padding). */
  readonly targets: Int32Array;
  /** log1p(seconds since the previous event) at each position, 0 where unknown; null when the data has no times. */
  readonly timeGaps: Float32Array | null;
  /** Event type code + 1 at each position (0 = padding); null when every event is a plain view. */
  readonly types: Int32Array | null;
}

/** Named weight arrays, the unit of saving and loading; shapes are row-major. */
export type NamedWeights = Map<string, { shape: number[]; data: Float32Array }>;

/** The training-time (tfjs) side of a sequence model. Only src/training and the family itself touch it. */
export interface SequenceNetwork {
  /** Trainable variables by stable name; the names become the saved weights' names. */
  readonly variables: ReadonlyMap<string, tf.Variable>;
  /**
   * Hidden state at every position, [batchSize, length, dim]: the user representation after
   * inputs 0..t, to be scored against `outputTable()`. `training` turns dropout on.
   */
  hidden(batch: SequenceBatch, training: boolean): tf.Tensor3D;
  /** The table hidden states are scored against, [numItems + 1, dim]; row 0 is padding. */
  outputTable(): tf.Tensor2D;
  /** Per-item output bias [numItems + 1], or null when the family has none. */
  outputBias(): tf.Tensor1D | null;
}

/**
 * Plain-TypeScript inference of a trained network, over Float32Array: no tfjs, no training code.
 * Must reproduce `SequenceNetwork.hidden(..., false)` at the last position within float tolerance.
 */
export interface SequenceEncoder {
  readonly dim: number;
  /**
   * Writes the representation of a user after `history` (dense item indices, chronological;
   * only the last maxLength are used) into `out` [dim]. Times (ms) and type codes, aligned with
   * history, are used when the family was trained with them.
   */
  encode(history: Int32Array, out: Float32Array, timestamps?: Float64Array, types?: Uint8Array): void;
  /**
   * Figures about the last `encode`, for explanations: e.g. `a`, the fused model's gate in
   * u = a·u_short + (1 − a)·u_long.
   */
  lastDiagnostics?(): Readonly<Record<string, number>>;
}

/** What a neural family provides; `NeuralRecommender` does the rest (training, scoring, saving). */
export interface NeuralFamily<Config extends { maxLength: number }> {
  readonly name: string;
  readonly configSchema: z.ZodType<Config>;
  /** Builds fresh, seeded variables for a catalogue of numItems items. */
  createNetwork(config: Config, numItems: number, seed: number): SequenceNetwork;
  /** Builds plain-TS inference from saved weights (the names `variables` had). */
  createEncoder(config: Config, numItems: number, weights: NamedWeights): SequenceEncoder;
}
