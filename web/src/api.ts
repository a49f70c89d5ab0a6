/**
 * The dashboard's access to the API: Tide's typed client (`tide/client`, the one users get), over
 * the page's own origin. The API key, when the server needs one, is kept in sessionStorage and the
 * client reads it before every call.
 */
import { type CallOptions, TideClient } from '../../src/client/index.js';
import type { Event } from '../../src/core/types.js';

export type {
  AppendResponse,
  AudienceResponse,
  HealthResponse,
  InterestsResponse,
  ModelResponse,
  RecommendResponse,
  UserEventsResponse,
  UserListResponse,
} from '../../src/client/index.js';

const KEY_STORAGE = 'tide.apiKey';

export function apiKey(): string | null {
  return sessionStorage.getItem(KEY_STORAGE);
}

export function setApiKey(key: string): void {
  if (key === '') sessionStorage.removeItem(KEY_STORAGE);
  else sessionStorage.setItem(KEY_STORAGE, key);
}

/** One try per call: a person is watching, and a failed panel says so at once. */
const client = new TideClient({ baseUrl: '', apiKey, retries: 0 });

export function authHeaders(): Record<string, string> {
  return client.authHeaders();
}

export interface RecommendParams {
  k?: number;
  /** `key:value` pairs, as the API's context parameter. */
  context?: Record<string, string | number>;
  /** MMR λ; 1 (by score only) is left out of the request. */
  diversity?: number;
  include?: string[];
  explain?: boolean;
}

const signalled = (signal?: AbortSignal): CallOptions => ({ signal });

export const api = {
  health: () => client.health(),
  model: () => client.model(),
  users: (query: string, limit: number, signal?: AbortSignal) =>
    client.users({ query, limit }, signalled(signal)),
  interests: (id: string, signal?: AbortSignal) => client.interests(id, { history: 30 }, signalled(signal)),
  events: (id: string, limit: number, signal?: AbortSignal) =>
    client.userEvents(id, { limit }, signalled(signal)),
  recommend: (id: string, params: RecommendParams, signal?: AbortSignal) =>
    client.recommend(
      id,
      {
        k: params.k,
        context: params.context,
        diversity: params.diversity !== undefined && params.diversity < 1 ? params.diversity : undefined,
        filter: params.include && { include: params.include },
        explain: params.explain === false ? false : undefined,
      },
      signalled(signal),
    ),
  postEvent: (event: Event) => client.postEvents(event),
  textQuery: (text: string, k: number, userId?: string) =>
    client.recommendForText(text, { k, userId: userId || undefined }),
  putItem: (id: string, fields: { title?: string; text?: string; categories?: string[] }) =>
    client.putItem(id, fields),
  audience: (id: string, k: number) => client.audience(id, { k, users: 100 }),
  streamUrl: (id: string) => client.streamUrl(id),
};
