/**
 * API keys with scopes. A key is sent as `Authorization: Bearer <key>` or `X-API-Key: <key>`, and
 * compared in constant time: both sides are hashed to SHA-256 (fixed length, so timingSafeEqual
 * applies and the key length does not leak), and every configured key is compared, match or not.
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import { TideError } from '../core/errors.js';
import { ApiError } from './errors.js';

export const SCOPES = ['read', 'write', 'admin'] as const;
/** `read`: GET routes; `write`: changing events and items; `admin`: deleting users, and everything else. */
export type Scope = (typeof SCOPES)[number];

export interface ApiKey {
  key: string;
  scopes: readonly Scope[];
}

const digest = (text: string): Buffer => createHash('sha256').update(text, 'utf8').digest();

/**
 * Parses `key1:read,write;key2:admin` (the TIDE_API_KEYS format).
 *
 * @throws TideError('CONFIG') naming the entry at fault.
 * @example
 * parseApiKeys('k1:read,write;k2:admin'); // [{ key: 'k1', scopes: ['read', 'write'] }, { key: 'k2', scopes: ['admin'] }]
 */
export function parseApiKeys(spec: string): ApiKey[] {
  return spec
    .split(';')
    .map((entry) => entry.trim())
    .filter((entry) => entry !== '')
    .map((entry, n) => {
      const colon = entry.lastIndexOf(':');
      const key = colon > 0 ? entry.slice(0, colon) : '';
      const scopes =
        colon > 0
          ? entry
              .slice(colon + 1)
              .split(',')
              .map((s) => s.trim())
          : [];
      const bad = scopes.find((s) => !(SCOPES as readonly string[]).includes(s));
      if (!key || scopes.length === 0 || bad !== undefined) {
        throw new TideError(
          'CONFIG',
          `API keys: entry ${n + 1} must be <key>:<scope>[,<scope>] with scopes ${SCOPES.join(', ')}${bad === undefined ? '' : `, got "${bad}"`}`,
          { file: 'TIDE_API_KEYS', field: `entry ${n + 1}` },
        );
      }
      return { key, scopes: scopes as Scope[] };
    });
}

/**
 * The configured keys. With none, every request is let through (the server warns at start).
 *
 * @example
 * const keys = new KeyRing(parseApiKeys(process.env.TIDE_API_KEYS ?? ''));
 * keys.authorize(request.headers, 'read'); // throws ApiError 401 / 403
 */
export class KeyRing {
  private readonly entries: { digest: Buffer; scopes: ReadonlySet<Scope> }[];

  constructor(keys: readonly ApiKey[] = []) {
    this.entries = keys.map(({ key, scopes }) => ({ digest: digest(key), scopes: new Set(scopes) }));
  }

  /** True when no key is configured: the API is open. */
  get open(): boolean {
    return this.entries.length === 0;
  }

  /** Throws 401 without a known key, 403 when the key lacks `scope` (admin holds every scope). */
  authorize(headers: Headers, scope: Scope | null): void {
    if (scope === null || this.open) return;
    const presented = presentedKey(headers);
    if (presented === undefined) {
      throw new ApiError(
        'UNAUTHORIZED',
        'an API key is required: send Authorization: Bearer <key> or X-API-Key',
        {
          headers: { 'www-authenticate': 'Bearer' },
        },
      );
    }
    const candidate = digest(presented);
    let scopes: ReadonlySet<Scope> | undefined;
    for (const entry of this.entries) {
      // no early exit: the time taken does not depend on which key matched
      if (timingSafeEqual(candidate, entry.digest)) scopes = entry.scopes;
    }
    if (!scopes) {
      throw new ApiError('UNAUTHORIZED', 'unknown API key', {
        headers: { 'www-authenticate': 'Bearer error="invalid_token"' },
      });
    }
    if (!scopes.has(scope) && !scopes.has('admin')) {
      throw new ApiError('FORBIDDEN', `this API key lacks the "${scope}" scope`);
    }
  }
}

function presentedKey(headers: Headers): string | undefined {
  const authorization = headers.get('authorization');
  if (authorization !== null) {
    const match = /^Bearer[ \t]+(\S+)[ \t]*$/i.exec(authorization);
    return match?.[1];
  }
  const header = headers.get('x-api-key');
  return header === null || header === '' ? undefined : header;
}
