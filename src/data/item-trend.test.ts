import { describe, expect, it } from 'vitest';
import { corpusFrom } from '../../test/fixtures/corpus.js';
import { ItemTrend } from './item-trend.js';

const DAY = 86_400_000;

/** The decayed count of feature row `h` recovered from a feature (log1p of count relative to the mean). */
const relative = (features: Float32Array, h: number, n: number, i: number) => Math.expm1(features[h * n + i]);

describe('ItemTrend', () => {
  it('decays counts by each half-life as of the latest event, beside the all-time count', () => {
    const trend = new ItemTrend(2, [1]);
    trend.add(0, 0); // two days before the clock: weight 1/4 at a one-day half-life
    trend.add(1, 2 * DAY); // at the clock: weight 1
    const features = trend.features();
    const total = 0.25 + 1;
    expect(relative(features, 0, 2, 0)).toBeCloseTo((0.25 * 2) / total, 5);
    expect(relative(features, 0, 2, 1)).toBeCloseTo((1 * 2) / total, 5);
    // all time: one event each, the mean
    expect(relative(features, 1, 2, 0)).toBeCloseTo(1, 5);
    expect(relative(features, 1, 2, 1)).toBeCloseTo(1, 5);
    // newness: item 0 first seen two days before the clock, item 1 at it
    expect(features[2 * 2 + 0]).toBeCloseTo(1 / (1 + 2 / 30), 5);
    expect(features[2 * 2 + 1]).toBeCloseTo(1, 5);
    expect(trend.clock).toBe(2 * DAY);
  });

  it('gives the same features whatever order the events arrive in', () => {
    const events: [number, number][] = [
      [0, 5 * DAY],
      [1, 1 * DAY],
      [0, 3 * DAY],
      [2, 9 * DAY],
      [1, 8 * DAY],
    ];
    const forward = new ItemTrend(3);
    const backward = new ItemTrend(3);
    for (const [item, time] of events) forward.add(item, time);
    for (const [item, time] of [...events].reverse()) backward.add(item, time);
    const a = forward.features();
    const b = backward.features();
    for (let k = 0; k < a.length; k++) expect(a[k]).toBeCloseTo(b[k], 5);
  });

  it('takes an event back, and reads a corpus (all-time counts only when it has no times)', () => {
    const trend = new ItemTrend(2, [7]);
    trend.add(0, DAY);
    trend.add(1, DAY);
    const before = Float32Array.from(trend.features());
    trend.add(0, 2 * DAY);
    trend.remove(0, 2 * DAY);
    const after = trend.features();
    // the clock moved a day, which decays both items alike: relative counts stay (newness ages)
    for (let k = 0; k < 2 * 2; k++) expect(after[k]).toBeCloseTo(before[k], 5);
    const untimed = ItemTrend.fromCorpus(corpusFrom([[0, 0, 1]], 3), [7]);
    const features = untimed.features();
    expect(Array.from(features.subarray(0, 3))).toEqual([0, 0, 0]);
    expect(relative(features, 1, 3, 0)).toBeCloseTo(2, 5);
    expect(features[3 + 2]).toBe(0);
    expect(Array.from(features.subarray(6, 9))).toEqual([0, 0, 0]); // no times, no newness
  });
});
