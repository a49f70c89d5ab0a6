import { describe, expect, it } from 'vitest';
import { buildContextRule, compileContextRule, contextMultiplier, DEVICES } from './context.js';
import { BUILTIN_TOPICS } from './topics.js';

const topics = BUILTIN_TOPICS.slice(0, 8);
const names = topics.map((topic) => topic.name);

describe('context rule', () => {
  it('boosts each topic in the context it favours, and only there', () => {
    const rule = buildContextRule(topics, 2);
    expect(contextMultiplier(rule, 'gardening', { hour: 7, device: 'desktop' })).toBe(2);
    expect(contextMultiplier(rule, 'gardening', { hour: 12, device: 'desktop' })).toBe(1);
    expect(contextMultiplier(rule, 'jazz', { hour: 23, device: 'tv' })).toBe(2);
    expect(contextMultiplier(rule, 'home cooking', { hour: 20, device: 'tv' })).toBe(1);
    expect(rule.boosts.map((boost) => boost.description)).toContain('evening (hours 18-23 UTC): jazz x2');
  });

  it('leaves out windows no topic of the world favours', () => {
    const rule = buildContextRule([BUILTIN_TOPICS[1]], 2);
    expect(rule.boosts).toEqual([]);
  });

  it('computes, compiled, the same multipliers as contextMultiplier for every hour and device', () => {
    const rule = buildContextRule(topics, 1.6);
    const compiled = compileContextRule(rule, names);
    const out = new Float64Array(names.length);
    for (const device of DEVICES) {
      for (let hour = 0; hour < 24; hour++) {
        compiled({ hour, device }, out);
        expect(Array.from(out)).toEqual(names.map((name) => contextMultiplier(rule, name, { hour, device })));
      }
    }
  });
});
