import * as tf from '@tensorflow/tfjs';

/**
 * Inverted dropout with masks drawn in plain TypeScript from one generator per forward pass, seeded by
 * (network seed, call number): reproducible on every backend, and constant tensors to backprop (no
 * random op on the gradient tape). Rate 0 draws nothing and returns its input.
 *
 * @example
 * const dropout = new DropoutMasks(0.2, seed, step);
 * const dropped = dropout.apply(hidden); // masks differ from call to call, in a fixed order
 */
export class DropoutMasks {
  private state: number;

  constructor(
    private readonly rate: number,
    seed: number,
    call: number,
  ) {
    this.state = (Math.imul(seed ^ 0x5eedd00d, 0x9e3779b1) + Math.imul(call + 1, 0x85ebca6b)) | 0;
  }

  apply<T extends tf.Tensor>(x: T): T {
    if (this.rate === 0) return x;
    const mask = new Float32Array(x.size);
    const kept = 1 / (1 - this.rate);
    const threshold = this.rate * 4294967296; // drop when a uniform uint32 falls below
    // splitmix32 (as `core/random.ts`'s Rng) inlined: ~20M draws per SASRec training batch.
    let state = this.state;
    for (let i = 0; i < mask.length; i++) {
      state = (state + 0x9e3779b9) | 0;
      let z = state;
      z = Math.imul(z ^ (z >>> 16), 0x21f0aaad);
      z = Math.imul(z ^ (z >>> 15), 0x735a2d97);
      z ^= z >>> 15;
      mask[i] = z >>> 0 < threshold ? 0 : kept;
    }
    this.state = state;
    return tf.mul(x, tf.tensor(mask, x.shape)) as T;
  }
}
