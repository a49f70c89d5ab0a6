import { describe, expect, it } from 'vitest';
import { EventBus, type PublishedEvent } from './event-bus.js';

describe('EventBus', () => {
  it("delivers a batch to each user's subscribers, numbered from firstSeq", () => {
    const bus = new EventBus();
    const seen: PublishedEvent[] = [];
    const stop = bus.subscribe('u1', (e) => void seen.push(e));
    bus.publish(
      [
        { userId: 'u1', itemId: 'a', type: 'view', timestamp: 5 },
        { userId: 'u2', itemId: 'b', type: 'view' },
        { userId: 'u1', itemId: 'c', type: 'click' },
      ],
      { firstSeq: 10, replayed: false },
    );
    expect(seen.map((e) => [e.itemId, e.seq])).toEqual([
      ['a', 10],
      ['c', 12],
    ]);
    expect(seen[0].timestamp).toBe(5);
    expect(seen[1].timestamp).toBeGreaterThan(0);
    stop();
    bus.publish([{ userId: 'u1', itemId: 'd', type: 'view' }], { firstSeq: 13, replayed: false });
    expect(seen).toHaveLength(2);
    expect(bus.listeners('u1')).toBe(0);
  });

  it('announces nothing for a replayed batch, and detaches a listener that throws', () => {
    const bus = new EventBus();
    let calls = 0;
    bus.subscribe('u1', () => {
      calls++;
      throw new Error('broken client');
    });
    const event = { userId: 'u1', itemId: 'a', type: 'view' as const };
    bus.publish([event], { firstSeq: 1, replayed: true });
    expect(calls).toBe(0);
    expect(() => bus.publish([event], { firstSeq: 1, replayed: false })).not.toThrow();
    bus.publish([event], { firstSeq: 2, replayed: false });
    expect(calls).toBe(1);
    expect(bus.listeners('u1')).toBe(0);
  });
});
