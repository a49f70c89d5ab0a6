import { describe, expect, it } from 'vitest';
import { TideError } from '../../core/errors.js';
import { parseWorldConfig } from './config.js';
import { generateWorld } from './generate.js';
import { BUILTIN_TOPICS } from './topics.js';

function configError(input: unknown): TideError {
  try {
    parseWorldConfig(input as Parameters<typeof parseWorldConfig>[0]);
  } catch (error) {
    if (error instanceof TideError) return error;
    throw error;
  }
  throw new Error('expected parseWorldConfig to throw');
}

describe('parseWorldConfig', () => {
  it('fills every default, nested ones included', () => {
    const config = parseWorldConfig({ eventsPerUser: { max: 30 } });
    expect(config).toMatchObject({ seed: 42, users: 600, items: 400, topics: 8, maxDrifts: 2 });
    expect(config.eventsPerUser).toEqual({ min: 20, max: 30 });
    expect(config.startTime).toBe('2026-01-01T00:00:00Z');
  });

  it('offers about a dozen built-in topics with distinct names', () => {
    expect(BUILTIN_TOPICS.length).toBeGreaterThanOrEqual(12);
    expect(new Set(BUILTIN_TOPICS.map((topic) => topic.name)).size).toBe(BUILTIN_TOPICS.length);
  });

  it.each([
    [{ users: 0 }, 'users', /users: Too small/],
    [{ eventsPerUser: { min: 50, max: 10 } }, 'eventsPerUser', /eventsPerUser: min must not exceed max/],
    [{ topics: BUILTIN_TOPICS.length + 1 }, 'topics', /topics: Too big/],
    [{ items: 10, topics: 8 }, 'items', /items: must be at least twice the number of topics/],
    [{ driftProbability: 1.5 }, 'driftProbability', /driftProbability: Too big/],
    [{ startTime: 'yesterday' }, 'startTime', /startTime: /],
    [{ user: 10 }, undefined, /Unrecognized key: "user"/],
  ])('rejects %j with a CONFIG error naming the field', (input, field, message) => {
    const error = configError(input);
    expect(error.code).toBe('CONFIG');
    expect(error.message).toMatch(/^synthetic world config: /);
    expect(error.message).toMatch(message);
    expect(error.location?.field).toBe(field);
  });

  it('lists every bad field in one message', () => {
    expect(configError({ users: -1, seed: 1.5 }).message).toMatch(/seed: .*; users: |users: .*; seed: /);
  });

  it('is applied by generateWorld', () => {
    expect(() => generateWorld({ users: 0 })).toThrow(TideError);
  });
});
