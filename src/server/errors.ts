/**
 * Every error the HTTP API answers, and the one table that maps error codes to statuses. Route code
 * throws `ApiError` (HTTP-level problems) or lets a `TideError` from the engine or store through;
 * `errorResponse` turns either into `{ error: { code, message, field? } }`. Anything else is a bug:
 * a 500 with a generic message, the detail logged to stderr and never sent.
 */
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import { TideError, type TideErrorCode } from '../core/errors.js';

/** TideError codes plus the problems only HTTP has. */
export type ApiErrorCode =
  | TideErrorCode
  | 'UNAUTHORIZED'
  | 'FORBIDDEN'
  | 'METHOD_NOT_ALLOWED'
  | 'PAYLOAD_TOO_LARGE'
  | 'UNSUPPORTED_MEDIA_TYPE'
  | 'OVERLOADED'
  | 'INTERNAL';

/**
 * The mapping, in one place. CONFIG at request time means the server lacks a capability the
 * request needs (a text query without a text encoder), hence 501; STORAGE, NOT_TRAINED and
 * OVERLOADED (the write queue is full) are conditions a client may retry after, hence 503.
 */
export const STATUS_OF: Readonly<Record<ApiErrorCode, ContentfulStatusCode>> = {
  INVALID_INPUT: 400,
  UNAUTHORIZED: 401,
  FORBIDDEN: 403,
  NOT_FOUND: 404,
  METHOD_NOT_ALLOWED: 405,
  PAYLOAD_TOO_LARGE: 413,
  UNSUPPORTED_MEDIA_TYPE: 415,
  INTERNAL: 500,
  CONFIG: 501,
  NOT_TRAINED: 503,
  STORAGE: 503,
  OVERLOADED: 503,
};

/** The JSON body of every error answer. */
export interface ErrorBody {
  error: { code: ApiErrorCode; message: string; field?: string };
}

/**
 * An HTTP-level problem with the request, naming the field at fault when there is one.
 *
 * @example
 * throw new ApiError('PAYLOAD_TOO_LARGE', 'the body exceeds 1048576 bytes');
 * throw new ApiError('INVALID_INPUT', 'k: "abc" is not an integer', { field: 'k' });
 */
export class ApiError extends Error {
  override readonly name = 'ApiError';
  constructor(
    readonly code: ApiErrorCode,
    message: string,
    readonly extra: { field?: string; headers?: Record<string, string> } = {},
  ) {
    super(message);
  }

  get status(): ContentfulStatusCode {
    return STATUS_OF[this.code];
  }
}

/** What 5xx answers say instead of the detail (which may name files or internals). */
const GENERIC: Partial<Record<ApiErrorCode, string>> = {
  INTERNAL: 'internal error; the server log has the detail',
  STORAGE: 'the store is unavailable; retry later',
};

/**
 * The answer for any thrown value; 5xx details go to `log`, never to the client.
 *
 * @example
 * app.onError((error) => errorResponse(error, (line) => process.stderr.write(line)));
 */
export function errorResponse(error: unknown, log: (line: string) => void): Response {
  const { code, message, field, headers } = describe(error);
  const status = STATUS_OF[code];
  // the conditions a 5xx stands for by design (OVERLOADED, NOT_TRAINED) are not logged: a flood
  // of refusals must not become a flood of log lines
  if (GENERIC[code] !== undefined) {
    const detail = error instanceof Error ? (error.stack ?? error.message) : String(error);
    log(`tide server: ${status} ${code}: ${detail}\n`);
  }
  const body: ErrorBody = { error: { code, message: GENERIC[code] ?? message, ...(field && { field }) } };
  return new Response(JSON.stringify(body), {
    status,
    headers: { 'content-type': 'application/json; charset=utf-8', ...headers },
  });
}

function describe(error: unknown): {
  code: ApiErrorCode;
  message: string;
  field?: string;
  headers?: Record<string, string>;
} {
  if (error instanceof ApiError) return { code: error.code, message: error.message, ...error.extra };
  if (error instanceof TideError)
    return { code: error.code, message: error.message, field: error.location?.field };
  return { code: 'INTERNAL', message: 'internal error' };
}
