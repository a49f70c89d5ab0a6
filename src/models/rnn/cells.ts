/**
 * GRU and LSTM layers over time-major sequences, written with plain tfjs ops whose gradients work on
 * the wasm backend (no tf.layers: `gru` with resetAfter is unsupported there). The input projections
 * x·W + b of every step come in precomputed; only the h·U part runs step by step.
 */
import * as tf from '@tensorflow/tfjs';

/**
 * What each time step does with the padding mask m (1 = real event): 'skip' when no row has an event
 * (the state stays as it is, no compute), 'full' when every row has one, 'blend' otherwise:
 * h_t = h_{t-1} + m_t (h_new - h_{t-1}), so padding never moves the state.
 */
export interface StepMasks {
  readonly modes: ReadonlyArray<'skip' | 'full' | 'blend'>;
  /** [B, 1] constant mask of each 'blend' step (undefined for the others). */
  readonly blend: ReadonlyArray<tf.Tensor2D | undefined>;
}

/**
 * Step masks from a time-major mask [length, batch] (1 = real event); tensors are made in the caller's tidy.
 *
 * @example
 * const masks = stepMasks(maskTimeMajor, 200, 128);
 */
export function stepMasks(maskTimeMajor: Float32Array, length: number, batch: number): StepMasks {
  const modes: ('skip' | 'full' | 'blend')[] = [];
  const blend: (tf.Tensor2D | undefined)[] = [];
  for (let t = 0; t < length; t++) {
    const row = maskTimeMajor.subarray(t * batch, (t + 1) * batch);
    let active = 0;
    for (let b = 0; b < batch; b++) active += row[b];
    const mode = active === 0 ? 'skip' : active === batch ? 'full' : 'blend';
    modes.push(mode);
    blend.push(mode === 'blend' ? tf.tensor2d(row, [batch, 1]) : undefined);
  }
  return { modes, blend };
}

/**
 * x [L, ...] -> its L steps [...], by binary splits along axis 0. tf.unstack would slice L times, and
 * the wasm Slice kernel copies its whole input on every call (readSync), so unstacking [200, 128, 300]
 * copies 200 x 30 MB forward, and stack's gradient (an unstack) does the same backward. The tree copies
 * each level once: O(size · log L) both ways.
 *
 * @example
 * const steps = unstackSteps(projected); // [L, B, 3h] -> L x [B, 3h]
 */
export function unstackSteps(x: tf.Tensor): tf.Tensor[] {
  const length = x.shape[0];
  if (length === 1) return [tf.reshape(x, x.shape.slice(1))];
  const half = length >> 1;
  const [first, second] = tf.split(x, [half, length - half], 0);
  return [...unstackSteps(first), ...unstackSteps(second)];
}

/**
 * The inverse of `unstackSteps`: L tensors [...] -> [L, ...] by binary concatenation (see there why).
 *
 * @example
 * const states = stackSteps(outputs); // L x [B, h] -> [L, B, h]
 */
export function stackSteps(steps: readonly tf.Tensor[]): tf.Tensor {
  if (steps.length === 1) return tf.expandDims(steps[0], 0);
  const half = steps.length >> 1;
  return tf.concat([stackSteps(steps.slice(0, half)), stackSteps(steps.slice(half))], 0);
}

function masked(mode: 'full' | 'blend', mask: tf.Tensor2D | undefined, previous: tf.Tensor, next: tf.Tensor) {
  return mode === 'full' || !mask ? next : tf.add(previous, tf.mul(mask, tf.sub(next, previous)));
}

/**
 * GRU (reset gate before the recurrent product; Keras resetAfter = false):
 * z = σ(x_z + h U_z), r = σ(x_r + h U_r), c = tanh(x_c + (r ⊙ h) U_c), h' = z ⊙ h + (1 - z) ⊙ c.
 * `projected` [L, B, 3h] holds x·W + b with column blocks [z | r | c]; returns every state [L, B, h].
 *
 * @example
 * const states = gruLayer(matMulLastAxis(x, kernel), masks, recurrentKernel);
 */
export function gruLayer(projected: tf.Tensor3D, masks: StepMasks, recurrent: tf.Tensor2D): tf.Tensor3D {
  const [length, batch] = projected.shape;
  const h = recurrent.shape[0];
  const [uGates, uCandidate] = tf.split(recurrent, [2 * h, h], 1);
  const [xGates, xCandidate] = tf.split(projected, [2 * h, h], 2);
  const gateSteps = unstackSteps(xGates);
  const candidateSteps = unstackSteps(xCandidate);
  let state: tf.Tensor = tf.zeros([batch, h]);
  const outputs: tf.Tensor[] = [];
  for (let t = 0; t < length; t++) {
    const mode = masks.modes[t];
    if (mode !== 'skip') {
      const [z, r] = tf.split(tf.sigmoid(tf.add(gateSteps[t], tf.matMul(state, uGates))), 2, 1);
      const candidate = tf.tanh(tf.add(candidateSteps[t], tf.matMul(tf.mul(r, state), uCandidate)));
      const next = tf.add(candidate, tf.mul(z, tf.sub(state, candidate)));
      state = masked(mode, masks.blend[t], state, next);
    }
    outputs.push(state);
  }
  return stackSteps(outputs) as tf.Tensor3D;
}

/**
 * LSTM: i, f, o = σ(x + h U) blocks, g = tanh(candidate block), c' = f ⊙ c + i ⊙ g, h' = o ⊙ tanh(c').
 * `projected` [L, B, 4h] holds x·W + b with column blocks [i | f | o | g]; returns every h [L, B, h].
 *
 * @example
 * const states = lstmLayer(matMulLastAxis(x, kernel), masks, recurrentKernel);
 */
export function lstmLayer(projected: tf.Tensor3D, masks: StepMasks, recurrent: tf.Tensor2D): tf.Tensor3D {
  const [length, batch] = projected.shape;
  const h = recurrent.shape[0];
  const steps = unstackSteps(projected);
  let state: tf.Tensor = tf.zeros([batch, h]);
  let cell: tf.Tensor = tf.zeros([batch, h]);
  const outputs: tf.Tensor[] = [];
  for (let t = 0; t < length; t++) {
    const mode = masks.modes[t];
    if (mode !== 'skip') {
      const [gates, candidate] = tf.split(tf.add(steps[t], tf.matMul(state, recurrent)), [3 * h, h], 1);
      const [input, forget, output] = tf.split(tf.sigmoid(gates), 3, 1);
      const nextCell = tf.add(tf.mul(forget, cell), tf.mul(input, tf.tanh(candidate)));
      const next = tf.mul(output, tf.tanh(nextCell));
      cell = masked(mode, masks.blend[t], cell, nextCell);
      state = masked(mode, masks.blend[t], state, next);
    }
    outputs.push(state);
  }
  return stackSteps(outputs) as tf.Tensor3D;
}
