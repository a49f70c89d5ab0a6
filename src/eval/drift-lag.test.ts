import { describe, expect, it } from 'vitest';
import { loadDataset } from '../data/dataset.js';
import { PreprocessConfig } from '../data/preprocess.js';
import { generateWorld, worldSource } from '../data/synthetic/index.js';
import { itemTopics, lagSummary, recentEventsShare, type SwitchCase, switchCases } from './drift-lag.js';

const at = (user: number): SwitchCase => ({ user, at: 10, end: 30, to: 'new' });

describe('drift lags', () => {
  it('counts events after the switch until the share passes 1/2, and until it stays above', () => {
    // user 0: above from 3 on; user 1: above at 2, below at 4, above for good from 6; user 2: never
    const shares: Record<number, (k: number) => number> = {
      0: (k) => (k >= 3 ? 0.8 : 0.2),
      1: (k) => (k === 2 || k === 3 || k >= 6 ? 0.7 : 0.1),
      2: () => 0.4,
    };
    const summary = lagSummary([at(0), at(1), at(2)], (kase, seen) => shares[kase.user](seen - kase.at));
    expect(summary.users).toBe(3);
    expect(summary.median).toBe(3); // lags 2, 3, never
    expect(summary.p90).toBe(Number.POSITIVE_INFINITY);
    expect(summary.stayMedian).toBe(6); // stays 3, 6, never
    expect(summary.never).toBeCloseTo(1 / 3, 10);
  });

  it("finds each user's first switch in a generated world; the last events follow it, the whole history lags", async () => {
    const world = generateWorld({
      users: 80,
      items: 120,
      seed: 4,
      driftProbability: 1,
      maxDrifts: 1,
      gradualDriftShare: 0,
    });
    const data = await loadDataset(worldSource(world), {
      preprocess: PreprocessConfig.parse({ minItemEvents: 1, minUserEvents: 1 }),
    });
    const cases = switchCases(data, world.truth.users);
    expect(cases.length).toBeGreaterThan(60);
    const topics = itemTopics(data);
    const recent = lagSummary(cases, recentEventsShare(data, topics, 10));
    const whole = lagSummary(cases, recentEventsShare(data, topics, Number.POSITIVE_INFINITY));
    expect(recent.median).toBeLessThan(12);
    expect(recent.never).toBeLessThan(0.2);
    expect(whole.median).toBeGreaterThan(recent.median);
  });

  it('refuses a data set that dropped events (positions would not match the ground truth)', async () => {
    const world = generateWorld({ users: 40, items: 120, seed: 4, driftProbability: 1, maxDrifts: 1 });
    const pruned = await loadDataset(worldSource(world), {
      preprocess: PreprocessConfig.parse({ minItemEvents: 30 }),
    });
    expect(() => switchCases(pruned, world.truth.users)).toThrow(/keep every event/);
  });
});
