import { createHmac } from 'node:crypto';
import { TideError } from '../core/errors.js';

/** Environment variable holding the pseudonymisation key when config gives none. */
export const PSEUDONYM_KEY_ENV = 'TIDE_PSEUDONYM_KEY';

/**
 * Replaces user ids with a keyed HMAC-SHA256, so that the raw id is never stored while the same
 * user still maps to the same pseudonym. Without the key, pseudonyms cannot be linked back.
 * Raw ids are cached only for the life of this object (one ingest), to avoid re-hashing.
 *
 * @example
 * const p = new Pseudonymiser('a-long-secret-key-of-16+-chars');
 * p.pseudonym('alice'); // 'p_3f1c…' (32 hex chars), the same on every run with the same key
 */
export class Pseudonymiser {
  private readonly cache = new Map<string, string>();

  constructor(private readonly key: string) {
    if (key.length < 16) {
      throw new TideError('CONFIG', 'pseudonymisation key must be at least 16 characters long');
    }
  }

  /** A key from the explicit value, else from TIDE_PSEUDONYM_KEY; an error when neither is set. */
  static fromKeyOrEnv(key: string | undefined, env: NodeJS.ProcessEnv = process.env): Pseudonymiser {
    const chosen = key ?? env[PSEUDONYM_KEY_ENV];
    if (!chosen) {
      throw new TideError(
        'CONFIG',
        `pseudonymisation needs a key: set ${PSEUDONYM_KEY_ENV} or config.pseudonymKey`,
      );
    }
    return new Pseudonymiser(chosen);
  }

  pseudonym(userId: string): string {
    let alias = this.cache.get(userId);
    if (alias === undefined) {
      alias = `p_${createHmac('sha256', this.key).update(userId, 'utf8').digest('hex').slice(0, 32)}`;
      this.cache.set(userId, alias);
    }
    return alias;
  }
}
