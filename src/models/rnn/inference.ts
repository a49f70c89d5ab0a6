/**
 * Plain-TypeScript inference of the recurrent families (no tfjs): the incremental stepper the online
 * engine folds each new event in with, and the `SequenceEncoder` built on it.
 */
import { timeGapFeature } from '../neural/features.js';
import type { NamedWeights, RecurrentStepper, SequenceEncoder } from '../neural/network.js';
import type { RnnConfig } from './config.js';
import { Stepper, type StepperOptions } from './stepper.js';

export type { RecurrentStepper } from '../neural/network.js';
export type { StepperOptions } from './stepper.js';

/**
 * The incremental form of a trained recurrent network, for the online engine.
 *
 * @example
 * const stepper = createRecurrentStepper(config, numItems, weights);
 * const state = stepper.initialState();
 * stepper.step(state, itemIndex, secondsSincePrevious, typeCode); // per new event, in place
 * stepper.readout(state, userVector); // then score userVector against the output table
 */
export function createRecurrentStepper(
  config: RnnConfig,
  numItems: number,
  weights: NamedWeights,
  options: StepperOptions = {},
): RecurrentStepper {
  return new Stepper(config, numItems, weights, options);
}

/**
 * A `SequenceEncoder` replaying the last min(len, maxLength) events through the stepper; equals
 * `hidden(..., false)` at the last position. Gaps come from the full history (the first kept event's
 * gap is to the event before it).
 *
 * @example
 * const encoder = createEncoder(config, numItems, weights);
 * encoder.encode(Int32Array.from([3, 17, 5]), userVector);
 */
export function createEncoder(
  config: RnnConfig,
  numItems: number,
  weights: NamedWeights,
  options: StepperOptions = {},
): SequenceEncoder {
  const stepper = new Stepper(config, numItems, weights, options);
  const state = stepper.initialState();
  return {
    dim: stepper.dim,
    stepper,
    encode(history, out, timestamps, types) {
      state.fill(0);
      for (let i = Math.max(0, history.length - config.maxLength); i < history.length; i++) {
        const gap = timestamps && i > 0 ? timeGapFeature(timestamps[i - 1], timestamps[i]) : 0;
        stepper.stepWithFeature(state, history[i], gap, types ? types[i] : 0);
      }
      stepper.readout(state, out);
    },
  };
}
