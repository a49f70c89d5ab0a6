/**
 * The incremental recurrent state of the plain-TS inference: one event at a time, in place, with
 * preallocated scratch. Same math and weight layout as `cells.ts` / `network.ts` (see `weights.ts`).
 */
import { TideError } from '../../core/errors.js';
import { type KernelChoice, type Kernels, placeArrays } from '../../nn/wasm/kernels.js';
import type { NamedWeights, RecurrentStepper } from '../neural/network.js';
import { gateCount, type RnnConfig, scoredDim, TYPE_ROWS } from './config.js';
import { InputProjection } from './input-projection.js';
import { checkedWeights, columns } from './weights.js';

/** Tuning of the plain-TS inference. */
export interface StepperOptions {
  /** Precompute layer 0's input projection of every item when it takes at most this many floats (default 2^24). */
  maxInputTableFloats?: number;
  /** Dense kernels (see `EncoderOptions`). */
  kernels?: KernelChoice;
}

interface LayerWeights {
  kernel: Float32Array;
  bias: Float32Array;
  /** GRU: U's [z | r] columns [h, 2h]; LSTM: all of U [h, 4h]. */
  recurrentGates: Float32Array;
  /** GRU: U's candidate columns [h, h]; LSTM: unused (empty). */
  recurrentCandidate: Float32Array;
}

/**
 * The `RecurrentStepper` of a weight set, plus `stepWithFeature` for callers that already hold the
 * time-gap feature (the encoder). Use it through `createRecurrentStepper` / `createEncoder`.
 *
 * @example
 * const stepper = new Stepper(config, numItems, weights);
 * stepper.stepWithFeature(state, item, timeGapFeature(previousMs, nowMs), typeCode);
 */
export class Stepper implements RecurrentStepper {
  readonly dim: number;
  readonly stateSize: number;
  private readonly h: number;
  private readonly perLayer: number;
  private readonly inputs: InputProjection;
  private readonly layers: LayerWeights[];
  private readonly projection: { kernel: Float32Array; bias: Float32Array } | null;
  private readonly kernels: Kernels;
  // Scratch, sized exactly (vecMat reads x.length as the inner dimension).
  private readonly layerInput: Float32Array;
  private readonly previous: Float32Array;
  private readonly gated: Float32Array;
  private readonly projected: Float32Array;
  private readonly recurrent: Float32Array;
  private readonly candidate: Float32Array;

  constructor(
    private readonly config: RnnConfig,
    private readonly numItems: number,
    weights: NamedWeights,
    options: StepperOptions = {},
  ) {
    const get = checkedWeights(config, numItems, weights);
    const h = config.hiddenDim;
    const gates = gateCount(config.cell) * h;
    const gru = config.cell === 'gru';
    this.h = h;
    this.perLayer = gru ? h : 2 * h;
    this.stateSize = config.layers * this.perLayer;
    this.dim = scoredDim(config);
    this.inputs = new InputProjection(config, numItems, get, options.maxInputTableFloats);
    const layers = Array.from({ length: config.layers }, (_, k) => {
      const recurrent = get(`rnn${k}/recurrent_kernel`);
      return {
        kernel: get(`rnn${k}/kernel`),
        bias: get(`rnn${k}/bias`),
        recurrentGates: gru ? columns(recurrent, h, gates, 0, 2 * h) : recurrent,
        recurrentCandidate: gru ? columns(recurrent, h, gates, 2 * h, h) : new Float32Array(0),
      };
    });
    const projection = config.tiedOutput
      ? { kernel: get('output_projection/kernel'), bias: get('output_projection/bias') }
      : null;
    const scratch = {
      ...{ layerInput: new Float32Array(h), previous: new Float32Array(h), gated: new Float32Array(h) },
      ...{
        projected: new Float32Array(gates),
        recurrent: new Float32Array(gates),
        candidate: new Float32Array(h),
      },
    };
    // The maps and the scratch go where the kernels read them; the input tables stay.
    const placed = placeArrays([layers, projection, scratch], options.kernels);
    this.kernels = placed.kernels;
    [this.layers, this.projection] = placed.trees;
    const placedScratch = placed.trees[2];
    this.layerInput = placedScratch.layerInput;
    this.previous = placedScratch.previous;
    this.gated = placedScratch.gated;
    this.projected = placedScratch.projected;
    this.recurrent = placedScratch.recurrent;
    this.candidate = placedScratch.candidate;
  }

  initialState(): Float32Array {
    return new Float32Array(this.stateSize);
  }

  step(state: Float32Array, item: number, timeGapSeconds = 0, type = 0): void {
    const gap = Number.isFinite(timeGapSeconds) ? Math.log1p(Math.max(0, timeGapSeconds)) : 0;
    this.stepWithFeature(state, item, gap, type);
  }

  /** `step` with the time-gap feature (log1p seconds, as `timeGapFeature` computes it) given. */
  stepWithFeature(state: Float32Array, item: number, gapFeature: number, type: number): void {
    if (state.length !== this.stateSize) {
      throw new TideError(
        'INVALID_INPUT',
        `rnn step: state of ${state.length} values, expected ${this.stateSize}`,
      );
    }
    if (!(item >= 0 && item < this.numItems)) {
      throw new TideError('INVALID_INPUT', `rnn step: item ${item} outside [0, ${this.numItems})`);
    }
    if (!(type >= 0 && type < TYPE_ROWS - 1)) {
      throw new TideError('INVALID_INPUT', `rnn step: event type code ${type} outside [0, ${TYPE_ROWS - 1})`);
    }
    const { h, layerInput, projected } = this;
    for (let k = 0; k < this.layers.length; k++) {
      const layer = this.layers[k];
      const offset = k * this.perLayer;
      if (k === 0) this.inputs.project(item, gapFeature, type, projected);
      else this.kernels.vecMat(layerInput, layer.kernel, projected.length, projected, layer.bias);
      if (this.config.cell === 'gru') this.gruStep(layer, state, offset);
      else this.lstmStep(layer, state, offset);
      for (let j = 0; j < h; j++) layerInput[j] = state[offset + j];
    }
  }

  readout(state: Float32Array, out: Float32Array): void {
    const { h, previous } = this;
    const last = (this.layers.length - 1) * this.perLayer;
    for (let j = 0; j < h; j++) previous[j] = state[last + j];
    if (this.projection)
      this.kernels.vecMat(previous, this.projection.kernel, this.dim, out, this.projection.bias);
    else out.set(previous);
  }

  private gruStep(layer: LayerWeights, state: Float32Array, offset: number): void {
    const { h, previous, projected, recurrent, gated, candidate } = this;
    const { vecMat, sigmoidInPlace, tanhInPlace } = this.kernels;
    for (let j = 0; j < h; j++) previous[j] = state[offset + j];
    vecMat(previous, layer.recurrentGates, 2 * h, recurrent);
    for (let j = 0; j < 2 * h; j++) recurrent[j] += projected[j];
    sigmoidInPlace(recurrent, 0, 2 * h); // update gate z, then reset gate r
    for (let j = 0; j < h; j++) gated[j] = recurrent[h + j] * previous[j];
    vecMat(gated, layer.recurrentCandidate, h, candidate);
    for (let j = 0; j < h; j++) candidate[j] += projected[2 * h + j];
    tanhInPlace(candidate, 0, h);
    for (let j = 0; j < h; j++) {
      const c = candidate[j];
      state[offset + j] = c + recurrent[j] * (previous[j] - c);
    }
  }

  private lstmStep(layer: LayerWeights, state: Float32Array, offset: number): void {
    const { h, previous, projected, recurrent, candidate: cell } = this;
    const { vecMat, sigmoidInPlace, tanhInPlace } = this.kernels;
    for (let j = 0; j < h; j++) previous[j] = state[offset + j];
    vecMat(previous, layer.recurrentGates, 4 * h, recurrent);
    for (let j = 0; j < 4 * h; j++) recurrent[j] += projected[j];
    sigmoidInPlace(recurrent, 0, 3 * h); // input, forget, output gates
    tanhInPlace(recurrent, 3 * h, 4 * h); // the candidate g
    for (let j = 0; j < h; j++) {
      const value = recurrent[h + j] * state[offset + h + j] + recurrent[j] * recurrent[3 * h + j];
      state[offset + h + j] = value;
      cell[j] = value;
    }
    tanhInPlace(cell, 0, h);
    for (let j = 0; j < h; j++) state[offset + j] = recurrent[2 * h + j] * cell[j];
  }
}
