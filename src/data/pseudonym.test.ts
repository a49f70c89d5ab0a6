import { describe, expect, it } from 'vitest';
import { loadDataset } from './dataset.js';
import { memorySource } from './memory-source.js';
import { PreprocessConfig } from './preprocess.js';
import { Pseudonymiser } from './pseudonym.js';

const KEY = 'a-test-key-that-is-long-enough';

describe('pseudonymisation', () => {
  it('is deterministic for one key and differs between keys', () => {
    const a = new Pseudonymiser(KEY);
    const b = new Pseudonymiser(`${KEY}!`);
    expect(a.pseudonym('alice')).toBe(new Pseudonymiser(KEY).pseudonym('alice'));
    expect(a.pseudonym('alice')).not.toBe(b.pseudonym('alice'));
    expect(a.pseudonym('alice')).not.toBe(a.pseudonym('bob'));
    expect(a.pseudonym('alice')).toMatch(/^p_[0-9a-f]{32}$/);
  });

  it('needs a key of at least 16 characters, from config or TIDE_PSEUDONYM_KEY', () => {
    expect(() => new Pseudonymiser('short')).toThrow(/at least 16/);
    expect(() => Pseudonymiser.fromKeyOrEnv(undefined, {})).toThrow(/TIDE_PSEUDONYM_KEY/);
    const fromEnv = Pseudonymiser.fromKeyOrEnv(undefined, { TIDE_PSEUDONYM_KEY: KEY });
    expect(fromEnv.pseudonym('alice')).toBe(new Pseudonymiser(KEY).pseudonym('alice'));
  });

  it('leaves no raw user id in a loaded dataset', async () => {
    const events = ['alice', 'bob', 'alice'].map((userId, t) => ({
      userId,
      itemId: `i${t}`,
      type: 'view' as const,
      timestamp: t,
    }));
    const data = await loadDataset(memorySource(events), {
      preprocess: PreprocessConfig.parse({ minItemEvents: 1, minUserEvents: 1 }),
      pseudonymiser: new Pseudonymiser(KEY),
    });
    const stored = JSON.stringify(data.userIds.ids());
    expect(stored).not.toContain('alice');
    expect(stored).not.toContain('bob');
    expect(data.userIds.indexOf(new Pseudonymiser(KEY).pseudonym('alice'))).toBe(0);
    expect(data.report.pseudonymised).toBe(true);
  });
});
