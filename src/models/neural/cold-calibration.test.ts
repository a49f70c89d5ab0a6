import { describe, expect, it } from 'vitest';
import { Rng } from '../../core/random.js';
import { matchTextOnlyScores } from './cold-calibration.js';

function moments(values: number[]) {
  const mean = values.reduce((a, b) => a + b, 0) / values.length;
  return { mean, std: Math.sqrt(values.reduce((a, b) => a + (b - mean) ** 2, 0) / values.length) };
}

describe('matchTextOnlyScores', () => {
  it('gives text-only items the mean and spread of the known items, keeping their order', () => {
    const rng = new Rng(3);
    const n = 400;
    const textOnly = Uint8Array.from({ length: n }, (_, i) => (i % 10 === 0 ? 1 : 0));
    const scores = Float32Array.from({ length: n }, (_, i) =>
      textOnly[i] ? -8 + 0.5 * rng.normal() : 3 + 2 * rng.normal(),
    );
    const before = Array.from(scores);
    matchTextOnlyScores(scores, textOnly);
    const pick = (flag: number) => Array.from(scores).filter((_, i) => textOnly[i] === flag);
    const known = moments(pick(0));
    const text = moments(pick(1));
    expect(text.mean).toBeCloseTo(known.mean, 4);
    expect(text.std).toBeCloseTo(known.std, 4);
    expect(pick(0)).toEqual(before.filter((_, i) => !textOnly[i]));
    const order = (values: number[]) => values.map((_, i) => i).sort((a, b) => values[a] - values[b]);
    expect(order(pick(1))).toEqual(order(before.filter((_, i) => textOnly[i])));
  });

  it('leaves unscorable items and groups too small to measure alone', () => {
    const scores = Float32Array.from([1, 2, 3, Number.NEGATIVE_INFINITY, -5]);
    matchTextOnlyScores(scores, Uint8Array.from([0, 0, 0, 1, 1]));
    expect(Array.from(scores)).toEqual([1, 2, 3, Number.NEGATIVE_INFINITY, -5]);
  });
});
