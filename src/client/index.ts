/**
 * A typed client for Tide's HTTP API, for Node (>= 20) and browsers: one method per route, the
 * answers typed with the server's own response types, errors as `TideApiError` (status, code,
 * field), and retries on 503 and 429 that wait as the server's Retry-After says. An event batch
 * always goes with an Idempotency-Key (one is made when none is given), so a retried batch is
 * logged once.
 *
 * @example
 * import { TideClient } from 'tide/client';
 * const tide = new TideClient({ baseUrl: 'http://127.0.0.1:8080', apiKey: process.env.TIDE_KEY });
 * await tide.postEvents([{ userId: 'u1', itemId: '42', type: 'click' }]);
 * const { items } = await tide.recommend('u1', { k: 10 });
 */
import type { Context, EventType, Item } from '../core/types.js';
import type {
  AudienceResponse,
  ModelResponse,
  UserEventsResponse,
  UserListResponse,
} from '../server/dashboard-responses.js';
import type {
  AppendResponse,
  DeletionResponse,
  HealthResponse,
  InterestsResponse,
  RecommendResponse,
} from '../server/responses.js';

export type {
  AppendResponse,
  AudienceResponse,
  DeletionResponse,
  HealthResponse,
  InterestsResponse,
  ModelResponse,
  RecommendResponse,
  UserEventsResponse,
  UserListResponse,
};

/** An event as the API takes it: the time as epoch milliseconds or an ISO 8601 string. */
export interface EventInput {
  userId: string;
  itemId: string;
  type: EventType;
  value?: number;
  timestamp?: number | string;
  context?: Context;
}

export interface RecommendParams {
  k?: number;
  /** The request's context (time of day, device, scene...). */
  context?: Record<string, string | number | boolean>;
  /** MMR diversity λ in [0, 1] (1 = by score only). */
  diversity?: number;
  filter?: {
    categories?: string[];
    excludeCategories?: string[];
    include?: string[];
    exclude?: string[];
    attributes?: Record<string, string | number | boolean>;
  };
  /** Event types whose items are not recommended again, e.g. ['purchase']. */
  excludeSeen?: EventType[];
  explain?: boolean;
  /** The request's time (default now): epoch ms or ISO 8601. */
  at?: number | string;
}

export interface TideClientOptions {
  /** The server's address; '' for the page's own origin in a browser. */
  baseUrl: string;
  /** A key, or a function asked before every call (a key the user may change meanwhile). */
  apiKey?: string | (() => string | null | undefined);
  /** Attempts after the first, on 503 / 429 / a network error (default 3). */
  retries?: number;
  /** The longest wait between attempts, whatever Retry-After says (default 10,000 ms). */
  maxRetryDelayMs?: number;
  /** Another fetch (a test's, or one with an agent); default the global one. */
  fetch?: typeof fetch;
  /** How to wait (tests pass their own); default setTimeout. */
  sleep?: (ms: number) => Promise<void>;
}

/** Per call: a signal that aborts it (and its retries). */
export interface CallOptions {
  signal?: AbortSignal;
}

/** An error answer of the API, as the server named it. */
export class TideApiError extends Error {
  override readonly name = 'TideApiError';
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly field?: string,
  ) {
    super(message);
  }
}

/** The routes the client covers, as the OpenAPI document names them (a test compares the two). */
export const CLIENT_ROUTES = [
  'POST /events',
  'PUT /items/{id}',
  'POST /items',
  'GET /users/{id}/recommendations',
  'POST /recommendations/query',
  'GET /users/{id}/interests',
  'DELETE /users/{id}',
  'GET /healthz',
  'GET /metrics',
  'GET /openapi.json',
  'GET /model',
  'GET /users',
  'GET /users/{id}/events',
  'GET /users/{id}/stream',
  'GET /items/{id}/audience',
] as const;

const RETRIED = new Set([429, 503]);
const path = (id: string) => encodeURIComponent(id);

export class TideClient {
  private readonly baseUrl: string;
  private readonly fetch: typeof fetch;
  private readonly sleep: (ms: number) => Promise<void>;

  constructor(private readonly options: TideClientOptions) {
    this.baseUrl = options.baseUrl.replace(/\/+$/, '');
    this.fetch = options.fetch ?? globalThis.fetch.bind(globalThis);
    this.sleep = options.sleep ?? ((ms) => new Promise((resolve) => setTimeout(resolve, ms)));
  }

  /** Logs one event or a batch (atomic); retried safely under one Idempotency-Key. */
  postEvents(events: EventInput | readonly EventInput[], options: { idempotencyKey?: string } = {}) {
    const body = Array.isArray(events) ? { events } : events;
    const key = options.idempotencyKey ?? randomKey();
    return this.json<AppendResponse>('POST', '/events', body, { 'idempotency-key': key });
  }

  putItem(itemId: string, fields: Omit<Item, 'itemId'>) {
    return this.json<{ upserted: number }>('PUT', `/items/${path(itemId)}`, fields);
  }

  putItems(items: readonly Item[]) {
    return this.json<{ upserted: number }>('POST', '/items', { items });
  }

  recommend(userId: string, params: RecommendParams = {}, call: CallOptions = {}) {
    const route = `/users/${path(userId)}/recommendations${query(params)}`;
    return this.json<RecommendResponse>('GET', route, undefined, {}, call);
  }

  /** Items for a sentence, blended with a user's behaviour when `userId` is given. */
  recommendForText(text: string, options: { k?: number; userId?: string } = {}) {
    return this.json<RecommendResponse>('POST', '/recommendations/query', { text, ...options });
  }

  interests(userId: string, options: { history?: number } = {}, call: CallOptions = {}) {
    const history = options.history === undefined ? '' : `?history=${options.history}`;
    return this.json<InterestsResponse>(
      'GET',
      `/users/${path(userId)}/interests${history}`,
      undefined,
      {},
      call,
    );
  }

  deleteUser(userId: string) {
    return this.json<DeletionResponse>('DELETE', `/users/${path(userId)}`);
  }

  /** The served model, its training report and the registry's models. */
  model() {
    return this.json<ModelResponse>('GET', '/model');
  }

  /** Users whose id contains `query` (case-insensitive), most recently active first. */
  users(options: { query?: string; limit?: number } = {}, call: CallOptions = {}) {
    const search = new URLSearchParams();
    if (options.query !== undefined) search.set('query', options.query);
    if (options.limit !== undefined) search.set('limit', String(options.limit));
    return this.json<UserListResponse>('GET', `/users?${search.toString()}`, undefined, {}, call);
  }

  /** A user's latest logged events, newest first. */
  userEvents(userId: string, options: { limit?: number } = {}, call: CallOptions = {}) {
    const limit = options.limit === undefined ? '' : `?limit=${options.limit}`;
    return this.json<UserEventsResponse>('GET', `/users/${path(userId)}/events${limit}`, undefined, {}, call);
  }

  /** The address of a user's live stream (server-sent events: each event, recommendations after it). */
  streamUrl(userId: string): string {
    return `${this.baseUrl}/users/${path(userId)}/stream`;
  }

  /** Which of the recently active users would be recommended the item in their top k. */
  audience(itemId: string, options: { k?: number; users?: number } = {}) {
    const search = new URLSearchParams();
    if (options.k !== undefined) search.set('k', String(options.k));
    if (options.users !== undefined) search.set('users', String(options.users));
    return this.json<AudienceResponse>('GET', `/items/${path(itemId)}/audience?${search.toString()}`);
  }

  health() {
    return this.json<HealthResponse>('GET', '/healthz');
  }

  /** The Prometheus text. */
  async metrics(): Promise<string> {
    return (await this.send('GET', '/metrics')).text();
  }

  /** The Authorization header for the current key (also for requests made outside the client, e.g. a stream). */
  authHeaders(): Record<string, string> {
    const key = typeof this.options.apiKey === 'function' ? this.options.apiKey() : this.options.apiKey;
    return key ? { authorization: `Bearer ${key}` } : {};
  }

  openApi() {
    return this.json<{ paths: Record<string, Record<string, unknown>> }>('GET', '/openapi.json');
  }

  private async json<T>(
    method: string,
    route: string,
    body?: unknown,
    headers?: Record<string, string>,
    call?: CallOptions,
  ): Promise<T> {
    return (await (await this.send(method, route, body, headers, call)).json()) as T;
  }

  /** One call, retried on 503 / 429 / network errors; an error answer throws TideApiError. */
  private async send(
    method: string,
    route: string,
    body?: unknown,
    headers: Record<string, string> = {},
    call: CallOptions = {},
  ) {
    const retries = this.options.retries ?? 3;
    for (let attempt = 0; ; attempt++) {
      let res: Response;
      try {
        res = await this.fetch(`${this.baseUrl}${route}`, {
          method,
          signal: call.signal,
          headers: {
            accept: 'application/json',
            ...this.authHeaders(),
            ...(body !== undefined && { 'content-type': 'application/json' }),
            ...headers,
          },
          ...(body !== undefined && { body: JSON.stringify(body) }),
        });
      } catch (error) {
        if (attempt >= retries || call.signal?.aborted) throw error;
        await this.sleep(this.backoff(attempt, null));
        continue;
      }
      if (res.ok) return res;
      if (RETRIED.has(res.status) && attempt < retries) {
        await res.body?.cancel();
        await this.sleep(this.backoff(attempt, res.headers.get('retry-after')));
        continue;
      }
      const answer = (await res.json().catch(() => null)) as {
        error?: { code?: string; message?: string; field?: string };
      } | null;
      const error = answer?.error;
      throw new TideApiError(
        res.status,
        error?.code ?? 'HTTP',
        error?.message ?? `${res.status} ${res.statusText}`,
        error?.field,
      );
    }
  }

  /** Retry-After (seconds or an HTTP date) when the server sent it, else 0.2 s doubling; capped. */
  private backoff(attempt: number, retryAfter: string | null): number {
    const cap = this.options.maxRetryDelayMs ?? 10_000;
    if (retryAfter !== null) {
      const seconds = Number(retryAfter);
      const ms = Number.isFinite(seconds) ? seconds * 1000 : Date.parse(retryAfter) - Date.now();
      if (Number.isFinite(ms)) return Math.min(cap, Math.max(0, ms));
    }
    return Math.min(cap, 200 * 2 ** attempt);
  }
}

function query(params: RecommendParams): string {
  const search = new URLSearchParams();
  if (params.k !== undefined) search.set('k', String(params.k));
  const context = Object.entries(params.context ?? {});
  if (context.length > 0) search.set('context', context.map(([k, v]) => `${k}:${v}`).join(','));
  if (params.diversity !== undefined) search.set('diversity', String(params.diversity));
  if (params.filter) search.set('filter', JSON.stringify(params.filter));
  if (params.excludeSeen) search.set('exclude_seen', params.excludeSeen.join(','));
  if (params.explain !== undefined) search.set('explain', String(params.explain));
  if (params.at !== undefined) search.set('at', String(params.at));
  const text = search.toString();
  return text ? `?${text}` : '';
}

/** A random Idempotency-Key (printable ASCII, as the header must be). */
function randomKey(): string {
  const bytes = globalThis.crypto.getRandomValues(new Uint8Array(16));
  return `tide-client-${Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('')}`;
}
