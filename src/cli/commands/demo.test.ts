import { describe, expect, it } from 'vitest';
import { recentWorld } from './demo.js';

const HOUR_MS = 3_600_000;
const timeOf = (event: { timestamp?: number } | undefined) => event?.timestamp ?? Number.NaN;

describe('the demo world', () => {
  it('is the same world whenever the demo runs: only whole days move, and its last event is within a day', () => {
    const size = { seed: 42, users: 40 };
    const morning = Date.parse('2026-12-08T03:00:00Z');
    const [a, b] = [recentWorld(size, morning), recentWorld(size, morning + 13 * HOUR_MS)];
    for (const [world, now] of [
      [a, morning],
      [b, morning + 13 * HOUR_MS],
    ] as const) {
      const last = timeOf(world.events.at(-1));
      expect(now - last).toBeGreaterThanOrEqual(0);
      expect(now - last).toBeLessThan(24 * HOUR_MS);
    }
    const shift = timeOf(b.events[0]) - timeOf(a.events[0]);
    expect(shift % (24 * HOUR_MS)).toBe(0);
    expect(b.events.map((e) => ({ ...e, timestamp: timeOf(e) - shift }))).toEqual(a.events);
  });
});
