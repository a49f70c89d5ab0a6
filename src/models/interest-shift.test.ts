import { describe, expect, it } from 'vitest';
import { DEFAULT_INTEREST_SHIFT, InterestShift } from './interest-shift.js';

const K = 4;
const uniform = new Float64Array(K).fill(1 / K);

function mixtureAfter(
  events: readonly (readonly number[])[],
  base: ArrayLike<number> = uniform,
): Float32Array {
  const shift = new InterestShift(uniform);
  for (const categories of events) shift.observe(categories);
  const out = new Float32Array(K);
  shift.estimate(base, out);
  return out;
}

const run = (category: number, n: number) => Array.from({ length: n }, () => [category]);
const sum = (xs: Float32Array) => xs.reduce((a, b) => a + b, 0);

describe('InterestShift', () => {
  it('gives the prior it is handed before any event, and a distribution after', () => {
    const base = [0.1, 0.2, 0.3, 0.4];
    expect(Array.from(mixtureAfter([], base))).toEqual(base.map(Math.fround));
    expect(sum(mixtureAfter([[0], [1, 2], [], [3]], base))).toBeCloseTo(1, 5);
    // an unnormalised base is normalised; one without mass falls back to the prior of the events
    expect(Array.from(mixtureAfter([[0]], [2, 0, 0, 0]))).toEqual(
      Array.from(mixtureAfter([[0]], [1, 0, 0, 0])),
    );
    expect(Array.from(mixtureAfter([[0]], [0, 0, 0, 0]))).toEqual(Array.from(mixtureAfter([[0]])));
  });

  it('counts an event of several categories as one event shared among them', () => {
    // one event: a single run of one event, (counts + concentration * base) / (1 + concentration)
    const { concentration } = DEFAULT_INTEREST_SHIFT;
    const after = mixtureAfter([[1, 2]], [0.1, 0.2, 0.3, 0.4]);
    expect(after[1]).toBeCloseTo((0.5 + concentration * 0.2) / (1 + concentration), 6);
    expect(after[2]).toBeCloseTo((0.5 + concentration * 0.3) / (1 + concentration), 6);
    expect(after[0]).toBeCloseTo((concentration * 0.1) / (1 + concentration), 6);
    // a run of two-category events moves the mixture as a run of one category does
    const history = run(0, 40);
    const single = mixtureAfter([...history, ...run(1, 4)]);
    const shared = mixtureAfter([...history, ...Array.from({ length: 4 }, () => [1, 2])]);
    expect(shared[1] + shared[2]).toBeCloseTo(single[1], 1);
  });

  it('refuses settings it cannot follow', () => {
    for (const bad of [{ maxRun: 1 }, { maxRun: 2.5 }, { noise: 0 }, { hazard: 1 }, { concentration: 0 }])
      expect(() => new InterestShift(uniform, { ...DEFAULT_INTEREST_SHIFT, ...bad })).toThrow(
        new RegExp(Object.keys(bad)[0]),
      );
  });

  it('moves to a new topic within a few events and holds it through stray events', () => {
    const history = run(0, 40);
    expect(mixtureAfter(history)[0]).toBeGreaterThan(0.9);
    // one stray event does not move the interest
    expect(mixtureAfter([...history, [2]])[0]).toBeGreaterThan(0.8);
    // a run of the new topic does: above one half within 4 events
    const lags = [1, 2, 3, 4, 5, 6].map((n) => mixtureAfter([...history, ...run(1, n)])[1]);
    expect(lags.findIndex((p) => p > 0.5) + 1).toBeLessThanOrEqual(4);
    // and stays there, a stray event of the old topic included
    expect(mixtureAfter([...history, ...run(1, 6), [0], ...run(1, 2)])[1]).toBeGreaterThan(0.7);
  });

  it('follows a long history as it follows a short one (runs past maxRun merged)', () => {
    const long = mixtureAfter([...run(0, 3000), ...run(1, 6)]);
    expect(long[1]).toBeGreaterThan(0.5);
    expect(sum(long)).toBeCloseTo(1, 5);
  });

  it('takes its prior from the base once a switch is likely, not from the old events', () => {
    // just after a switch the current segment is short: the base weighs in; deep in a run it barely does
    const toward3 = [0, 0, 0, 1];
    const settled = mixtureAfter(run(0, 40), toward3);
    const switched = mixtureAfter([...run(0, 40), ...run(1, 2)], toward3);
    expect(settled[3]).toBeLessThan(0.05);
    expect(switched[3]).toBeGreaterThan(settled[3]);
  });

  it('says how surprising each event was', () => {
    const shift = new InterestShift(uniform, DEFAULT_INTEREST_SHIFT);
    for (const categories of run(0, 20)) shift.observe(categories);
    const expected = new InterestShift(uniform);
    for (const categories of run(0, 20)) expected.observe(categories);
    expect(expected.observe([0])).toBeGreaterThan(shift.observe([3]));
    expect(shift.observe([])).toBe(0);
  });
});
