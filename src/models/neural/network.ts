import type * as tf from '@tensorflow/tfjs';
import type { z } from 'zod';
import type { KernelChoice } from '../../nn/wasm/kernels.js';

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
  /**
   * The training step about to run (counted over the whole run, across epochs and resumes): a
   * family whose dropout draws from a count of its training calls counts from here, so that a
   * resumed run draws the masks of an uninterrupted one.
   */
  atStep?(step: number): void;
  /**
   * A term the family adds to the training loss, computed by the last `hidden(batch, true)` (e.g. the
   * fused model's charge for its short-term share); null when there is none. Taking it clears it.
   */
  auxiliaryLoss?(): tf.Scalar | null;
  /** The table hidden states are scored against, [numItems + 1, dim]; row 0 is padding. */
  outputTable(): tf.Tensor2D;
  /** Per-item output bias [numItems + 1], or null when the family has none. */
  outputBias(): tf.Tensor1D | null;
  /**
   * Turns weights read from the variables into what the family's plain-TS encoder reads, when the two
   * differ (e.g. the fused item table of a text-aware model).
   */
  inferenceWeights?(weights: NamedWeights): void;
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
  /** The event-at-a-time form of `encode`, when the family has one (the recurrent ones). */
  readonly stepper?: RecurrentStepper;
}

/**
 * A user's recurrent state, updated in place one event at a time (O(layers · gates · h · (e + h)), no
 * history replay). State layout: per layer k, [h] for GRU or [h | c] for LSTM, layer after layer.
 * Not re-entrant: one stepper shares its scratch between calls (JS is single-threaded). It equals
 * `encode` for up to maxLength events; past that it keeps folding the whole history in, while `encode`
 * replays only the last maxLength (the training window), so the two drift apart slightly.
 *
 * @example
 * const state = stepper.initialState();
 * stepper.step(state, 41, 3600, 0); // item 41, an hour after the previous event, a view
 */
export interface RecurrentStepper {
  /** Width of `readout`'s vector, the one scored against the output table. */
  readonly dim: number;
  /** Length of a state vector. */
  readonly stateSize: number;
  /** The state before any event (zeros). */
  initialState(): Float32Array;
  /**
   * Folds one event into `state`: `item` is a dense item index, `timeGapSeconds` the seconds since the
   * user's previous event (0 or non-finite = unknown), `type` the event type code (index in EVENT_TYPES).
   */
  step(state: Float32Array, item: number, timeGapSeconds?: number, type?: number): void;
  /** Writes the user representation of `state` into `out` [dim]. */
  readout(state: Float32Array, out: Float32Array): void;
}

/** Fixed text vectors of the items, dense item order, row-major [numItems, dim]. */
export interface ItemTextVectors {
  readonly dim: number;
  readonly vectors: Float32Array;
  /** The text encoder that made them. */
  readonly encoderId?: string;
}

/** What a neural family provides; `NeuralRecommender` does the rest (training, scoring, saving). */
/**
 * What serving a saved model needs of a family: its config schema and its plain-TypeScript encoder.
 * Each family's `serving.ts` exports one, and loads neither tfjs nor training code.
 */
export interface ServingFamily<Config extends { maxLength: number }> {
  readonly name: string;
  readonly configSchema: z.ZodType<Config>;
  /** Builds plain-TS inference from saved weights (the names `variables` had). */
  createEncoder(
    config: Config,
    numItems: number,
    weights: NamedWeights,
    options?: EncoderOptions,
  ): SequenceEncoder;
}

/** A family as training sees it: the serving part plus its tfjs network. */
export interface NeuralFamily<Config extends { maxLength: number }> extends ServingFamily<Config> {
  /**
   * Builds fresh, seeded variables for a catalogue of numItems items; `itemText` feeds families
   * configured to use item text vectors.
   */
  createNetwork(config: Config, numItems: number, seed: number, itemText?: ItemTextVectors): SequenceNetwork;
  /**
   * The parsed config as a saved model records it: every default written out, so a later change of
   * a default does not reinterpret the model; it must parse back to the same config. Without it the
   * parsed config is recorded as it is.
   */
  storedConfig?(config: Config): Record<string, unknown>;
  /**
   * A new model's config as given (before parsing) with the family's defaults for training filled
   * in where they differ from what a saved config without the key means (e.g. a facets model is
   * built on a SASRec unless told otherwise, while a model saved before that option was not).
   */
  trainingDefaults?(config: Record<string, unknown>): Record<string, unknown>;
  /** The config with text vectors of width `dim` switched on, for families that can use them. */
  withTextDim?(config: Record<string, unknown>, dim: number): Record<string, unknown>;
  /**
   * A network this one is built on (null: none). Training trains it first, with the run's settings,
   * then starts this family's network from its weights, holds them, and trains the rest for at most
   * `epochs` epochs.
   */
  foundation?(config: Config): Foundation | null;
}

/** See NeuralFamily.foundation. */
export interface Foundation {
  family: NeuralFamily<{ maxLength: number }>;
  config: { maxLength: number };
  epochs: number;
}

/** Choices of plain-TS inference that do not change its results (beyond float rounding). */
export interface EncoderOptions {
  /** Dense kernels: WebAssembly SIMD where available ('auto', the default), or always the scalar ones. */
  kernels?: KernelChoice;
}
