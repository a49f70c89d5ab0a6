/**
 * The dashboard's HTTP client: one function per route it uses, typed with the server's own response
 * types (type-only imports: nothing of the server is bundled). The API key, when the server needs
 * one, is kept in sessionStorage and sent as a Bearer token.
 */
import type { Event } from '../../src/core/types.js';
import type {
  AudienceResponse,
  ModelResponse,
  UserEventsResponse,
  UserListResponse,
} from '../../src/server/dashboard-responses.js';
import type {
  AppendResponse,
  HealthResponse,
  InterestsResponse,
  RecommendResponse,
} from '../../src/server/responses.js';

export type {
  AppendResponse,
  AudienceResponse,
  HealthResponse,
  InterestsResponse,
  ModelResponse,
  RecommendResponse,
  UserEventsResponse,
  UserListResponse,
};

const KEY_STORAGE = 'tide.apiKey';

export function apiKey(): string | null {
  return sessionStorage.getItem(KEY_STORAGE);
}

export function setApiKey(key: string): void {
  if (key === '') sessionStorage.removeItem(KEY_STORAGE);
  else sessionStorage.setItem(KEY_STORAGE, key);
}

export function authHeaders(): Record<string, string> {
  const key = apiKey();
  return key ? { authorization: `Bearer ${key}` } : {};
}

/** An error answer of the API: its status, code and message. */
export class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

async function call<T>(method: string, path: string, body?: unknown, signal?: AbortSignal): Promise<T> {
  const res = await fetch(path, {
    method,
    signal,
    headers: {
      accept: 'application/json',
      ...authHeaders(),
      ...(body !== undefined && { 'content-type': 'application/json' }),
    },
    ...(body !== undefined && { body: JSON.stringify(body) }),
  });
  const json: unknown = await res.json().catch(() => null);
  if (!res.ok) {
    const error = (json as { error?: { code?: string; message?: string } } | null)?.error;
    throw new HttpError(
      res.status,
      error?.code ?? 'HTTP',
      error?.message ?? `${res.status} ${res.statusText}`,
    );
  }
  return json as T;
}

const user = (id: string) => `/users/${encodeURIComponent(id)}`;

export interface RecommendParams {
  k?: number;
  /** `key:value` pairs, as the API's context parameter. */
  context?: Record<string, string | number>;
  diversity?: number;
  include?: string[];
  explain?: boolean;
}

function recommendQuery(params: RecommendParams): string {
  const search = new URLSearchParams();
  if (params.k !== undefined) search.set('k', String(params.k));
  const context = Object.entries(params.context ?? {});
  if (context.length > 0) search.set('context', context.map(([k, v]) => `${k}:${v}`).join(','));
  if (params.diversity !== undefined && params.diversity < 1)
    search.set('diversity', String(params.diversity));
  // the JSON form takes any id, even one holding , : or |
  if (params.include) search.set('filter', JSON.stringify({ include: params.include }));
  if (params.explain === false) search.set('explain', 'false');
  const text = search.toString();
  return text ? `?${text}` : '';
}

export const api = {
  health: () => call<HealthResponse>('GET', '/healthz'),
  model: () => call<ModelResponse>('GET', '/model'),
  users: (query: string, limit: number, signal?: AbortSignal) =>
    call<UserListResponse>(
      'GET',
      `/users?${new URLSearchParams({ query, limit: String(limit) }).toString()}`,
      undefined,
      signal,
    ),
  interests: (id: string, signal?: AbortSignal) =>
    call<InterestsResponse>('GET', `${user(id)}/interests?history=30`, undefined, signal),
  events: (id: string, limit: number, signal?: AbortSignal) =>
    call<UserEventsResponse>('GET', `${user(id)}/events?limit=${limit}`, undefined, signal),
  recommend: (id: string, params: RecommendParams, signal?: AbortSignal) =>
    call<RecommendResponse>('GET', `${user(id)}/recommendations${recommendQuery(params)}`, undefined, signal),
  postEvent: (event: Event) => call<AppendResponse>('POST', '/events', event),
  textQuery: (text: string, k: number, userId?: string) =>
    call<RecommendResponse>('POST', '/recommendations/query', { text, k, ...(userId && { userId }) }),
  putItem: (id: string, fields: { title?: string; text?: string; categories?: string[] }) =>
    call<{ upserted: number }>('PUT', `/items/${encodeURIComponent(id)}`, fields),
  audience: (id: string, k: number) =>
    call<AudienceResponse>('GET', `/items/${encodeURIComponent(id)}/audience?k=${k}&users=100`),
  streamUrl: (id: string) => `${user(id)}/stream`,
};
