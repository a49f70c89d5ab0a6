import type { Rng } from '../../core/random.js';

/** Factors drawn from N(0, scale²). */
export function randomFactors(size: number, scale: number, rng: Rng): Float32Array {
  const out = new Float32Array(size);
  for (let k = 0; k < size; k++) out[k] = rng.normal() * scale;
  return out;
}
