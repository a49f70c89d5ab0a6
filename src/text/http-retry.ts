import { TideError, type TideErrorCode } from '../core/errors.js';

/** How `postJson` times out and retries. */
export interface RetryPolicy {
  /** Per attempt, covering the response body too. */
  timeoutMs: number;
  /** Further attempts after a network error, a timeout, HTTP 429 or 5xx. */
  retries: number;
  /** Backoff before retry k: a random delay in [base * 2^(k-1) / 2, base * 2^(k-1)]. */
  retryBaseDelayMs: number;
}

/** A Retry-After longer than this is not honoured as such (the backoff applies). */
const MAX_RETRY_AFTER_MS = 60_000;
const BODY_SNIPPET = 200;

/** The outcome of one attempt that did not give a usable response. */
interface Failure {
  problem: string;
  retryable: boolean;
  /** CONFIG when the request itself is at fault (a 4xx: key, model name, path), else STORAGE. */
  code: TideErrorCode;
  retryAfterMs?: number;
  cause?: unknown;
}

/**
 * POSTs `body` as JSON and returns the parsed JSON of a 2xx response. Retries with exponential
 * backoff and jitter on network errors, timeouts, 429 and 5xx; other statuses and unparsable
 * bodies fail at once. Errors name the URL, the status and the attempts; their code is CONFIG for a
 * 4xx other than 429 (the key, the model name or the path is wrong), else STORAGE.
 *
 * @example
 * const json = await postJson('http://localhost:8080/v1/embeddings', { model, input }, {}, policy);
 */
export async function postJson(
  url: string,
  body: unknown,
  headers: Record<string, string>,
  policy: RetryPolicy,
): Promise<unknown> {
  const attempts = policy.retries + 1;
  for (let attempt = 1; ; attempt++) {
    const outcome = await attemptPost(url, body, headers, policy.timeoutMs);
    if (!isFailure(outcome)) return outcome.json;
    if (!outcome.retryable || attempt >= attempts) {
      const tries = `${attempt} attempt${attempt === 1 ? '' : 's'}`;
      throw new TideError(outcome.code, `POST ${url}: ${outcome.problem} (${tries})`, undefined, {
        cause: outcome.cause,
      });
    }
    await sleep(backoffMs(attempt, policy.retryBaseDelayMs, outcome.retryAfterMs));
  }
}

function isFailure(outcome: Failure | { json: unknown }): outcome is Failure {
  return 'problem' in outcome;
}

async function attemptPost(
  url: string,
  body: unknown,
  headers: Record<string, string>,
  timeoutMs: number,
): Promise<Failure | { json: unknown }> {
  let status = 0;
  let text: string;
  try {
    const response = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'application/json', ...headers },
      body: JSON.stringify(body),
      signal: AbortSignal.timeout(timeoutMs),
    });
    status = response.status;
    text = await response.text();
    if (!response.ok) {
      return {
        problem: `HTTP ${status} ${response.statusText}: ${snippet(text)}`,
        retryable: status === 429 || status >= 500,
        code: status >= 400 && status < 500 && status !== 429 ? 'CONFIG' : 'STORAGE',
        retryAfterMs: retryAfterMs(response.headers.get('retry-after')),
      };
    }
  } catch (cause) {
    const name = (cause as Error)?.name;
    if (name === 'TimeoutError' || name === 'AbortError') {
      const when = status === 0 ? '' : ` reading the body of HTTP ${status}`;
      return { problem: `timed out after ${timeoutMs} ms${when}`, retryable: true, code: 'STORAGE', cause };
    }
    const problem = `network error: ${describeNetworkError(cause)}`;
    return { problem, retryable: true, code: 'STORAGE', cause };
  }
  try {
    return { json: JSON.parse(text) };
  } catch (cause) {
    return {
      problem: `response (HTTP ${status}) is not JSON: ${snippet(text)}`,
      retryable: false,
      code: 'STORAGE',
      cause,
    };
  }
}

/** `fetch failed` says little; the cause (ECONNREFUSED, ENOTFOUND, socket hang up...) says more. */
function describeNetworkError(error: unknown): string {
  const e = error as { message?: string; cause?: { code?: string; message?: string } };
  const detail = e?.cause?.code ?? e?.cause?.message;
  return detail ? `${e.message ?? 'fetch failed'} (${detail})` : (e?.message ?? String(error));
}

function snippet(text: string): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  if (flat === '') return '(empty body)';
  return flat.length > BODY_SNIPPET
    ? `${JSON.stringify(flat.slice(0, BODY_SNIPPET))}...`
    : JSON.stringify(flat);
}

function retryAfterMs(header: string | null): number | undefined {
  if (header === null) return undefined;
  const seconds = Number(header);
  return Number.isFinite(seconds) && seconds >= 0 ? Math.min(seconds * 1000, MAX_RETRY_AFTER_MS) : undefined;
}

/** Exponential backoff with jitter; a server's Retry-After is a lower bound. */
export function backoffMs(attempt: number, baseMs: number, retryAfter = 0, random = Math.random): number {
  const ceiling = baseMs * 2 ** (attempt - 1);
  return Math.max(retryAfter, ceiling / 2 + (random() * ceiling) / 2);
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));
