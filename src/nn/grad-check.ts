/**
 * Numerical checks for tests of kernels and layers: seeded random inputs, analytic gradients from tfjs,
 * central finite differences, and the worst disagreement between two arrays.
 */
import * as tf from '@tensorflow/tfjs';

/** One input of a checked function: its shape and row-major values. */
export interface CheckedInput {
  shape: number[];
  values: Float32Array;
}

/** A loss over the inputs; it must return one value (any rank) and may build any intermediate tensors. */
export type ScalarFunction = (...inputs: tf.Tensor[]) => tf.Tensor;

/** Analytic and numerical gradients of every input, side by side. */
export interface GradientComparison {
  analytic: Float32Array[];
  numeric: Float64Array[];
  /** max over all elements of |analytic - numeric| / (atol + rtol * |numeric|); <= 1 passes. */
  worstRatio: number;
}

/**
 * Uniform values in [-1, 1) from a small LCG, identical on every run and backend.
 *
 * @example
 * const weights = seededValues(12, 7);
 */
export function seededValues(size: number, seed: number): Float32Array {
  let state = seed >>> 0;
  const values = new Float32Array(size);
  for (let i = 0; i < size; i++) {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    values[i] = (state / 2 ** 32) * 2 - 1;
  }
  return values;
}

/** A `CheckedInput` of `shape` filled with `seededValues`. */
export function seededInput(shape: number[], seed: number): CheckedInput {
  return { shape, values: seededValues(tf.util.sizeFromShape(shape), seed) };
}

/**
 * sum(out * w) for fixed seeded weights w: a scalar loss that reaches every element of `out` with a
 * different weight, so a gradient routed to the wrong element shows.
 *
 * @example
 * const loss = (x: tf.Tensor) => weightedSum(tf.tanh(x));
 */
export function weightedSum(out: tf.Tensor, seed = 99): tf.Scalar {
  return tf.sum(tf.mul(out, tf.tensor(seededValues(out.size, seed), out.shape)));
}

/** Largest |a[i] - b[i]|; throws when the lengths differ. */
export function maxAbsDifference(a: ArrayLike<number>, b: ArrayLike<number>): number {
  if (a.length !== b.length) throw new Error(`length ${a.length} vs ${b.length}`);
  let worst = 0;
  for (let i = 0; i < a.length; i++) worst = Math.max(worst, Math.abs(a[i] - b[i]));
  return worst;
}

function evaluate(loss: ScalarFunction, inputs: readonly CheckedInput[]): number {
  return tf.tidy(() => {
    const value = loss(...inputs.map((input) => tf.tensor(input.values, input.shape)));
    if (value.size !== 1)
      throw new Error(`the checked function returned shape [${value.shape}], not a scalar`);
    return value.dataSync()[0];
  });
}

/** Gradients of `loss` by tfjs's backprop on the active backend. */
export function analyticGradients(loss: ScalarFunction, inputs: readonly CheckedInput[]): Float32Array[] {
  return tf.tidy(() => {
    const tensors = inputs.map((input) => tf.tensor(input.values, input.shape));
    return tf
      .grads(loss)(tensors)
      .map((gradient) => gradient.dataSync() as Float32Array);
  });
}

/** Central differences (f(x + h) - f(x - h)) / 2h, element by element, evaluated on the active backend. */
export function numericGradients(
  loss: ScalarFunction,
  inputs: readonly CheckedInput[],
  step = 1e-2,
): Float64Array[] {
  return inputs.map((input, which) => {
    const gradient = new Float64Array(input.values.length);
    for (let i = 0; i < input.values.length; i++) {
      const perturbed = (delta: number): CheckedInput[] => {
        const values = input.values.slice();
        values[i] += delta;
        return inputs.map((other, index) => (index === which ? { shape: input.shape, values } : other));
      };
      gradient[i] = (evaluate(loss, perturbed(step)) - evaluate(loss, perturbed(-step))) / (2 * step);
    }
    return gradient;
  });
}

/**
 * Compares backprop with finite differences. Use small shapes (two evaluations per element) and a loss
 * that is at most quadratic in each element where possible: central differences are then exact, and
 * only float32 rounding (about 1e-7 |f| / step) separates the two.
 *
 * @example
 * const { worstRatio } = compareGradients((a, b) => tf.sum(tf.matMul(a, b)), [seededInput([2, 3], 1), seededInput([3, 4], 2)]);
 * expect(worstRatio).toBeLessThanOrEqual(1);
 */
export function compareGradients(
  loss: ScalarFunction,
  inputs: readonly CheckedInput[],
  options: { step?: number; atol?: number; rtol?: number } = {},
): GradientComparison {
  const { step = 1e-2, atol = 2e-3, rtol = 1e-2 } = options;
  const analytic = analyticGradients(loss, inputs);
  const numeric = numericGradients(loss, inputs, step);
  let worstRatio = 0;
  analytic.forEach((gradient, which) => {
    for (let i = 0; i < gradient.length; i++) {
      const expected = numeric[which][i];
      worstRatio = Math.max(
        worstRatio,
        Math.abs(gradient[i] - expected) / (atol + rtol * Math.abs(expected)),
      );
    }
  });
  return { analytic, numeric, worstRatio };
}
