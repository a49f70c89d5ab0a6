/**
 * What the engine answers: recommendations with their reasons, and a user's interests. Explanations
 * are data; the server and the dashboard only display them.
 */
import type { Context, EventType, ItemId, UserId } from '../core/types.js';

/** Why an item was recommended. Weights are shares in [0, 1] unless noted. */
export type Reason =
  /** A recent item whose embedding is close to the recommended one's (cosine similarity). */
  | { kind: 'recent-item'; itemId: ItemId; title?: string; similarity: number }
  /** The interest facet that scores the item highest, with its label and current weight. */
  | { kind: 'facet'; facet: number; label: string; weight: number }
  /** The share of the short-term (recent session) interest in the user vector: u = a·u_short + (1−a)·u_long. */
  | { kind: 'short-long'; shortTermShare: number /** @deprecated the same as shortTermShare */; a: number }
  /** The text similarity between the user's interest (or a query) and the item, and its part of the score. */
  | { kind: 'text'; similarity: number; share: number }
  /** No behaviour to go on: a popular item. */
  | { kind: 'popular'; events: number }
  /** An item with no behaviour yet, placed by its text next to these items. */
  | { kind: 'cold-item'; neighbours: ItemId[] };

export interface Recommendation {
  itemId: ItemId;
  title?: string;
  categories?: string[];
  score: number;
  reasons: Reason[];
}

/** Business filters; every listed condition must hold. */
export interface ItemFilters {
  /** Keep only items with at least one of these categories. */
  categories?: string[];
  /** Drop items with any of these categories. */
  excludeCategories?: string[];
  /** Keep only items whose attributes equal these values. */
  attributes?: Record<string, string | number | boolean>;
  /** Keep only these items. */
  include?: ItemId[];
  /** Never these items. */
  exclude?: ItemId[];
}

export interface RecommendOptions {
  k?: number;
  context?: Context;
  filters?: ItemFilters;
  /**
   * Event types whose items are not recommended again (default: every type). An empty list keeps
   * seen items.
   */
  excludeSeen?: EventType[];
  /** MMR trade-off λ in [0, 1]: 1 = pure relevance (default), lower = more diverse. */
  diversity?: number;
  /** Attach reasons (default true). */
  explain?: boolean;
  /** When the request is made (ms; default the clock): the time head reads the time since the user's last event. */
  now?: number;
}

export interface RecommendResult {
  userId: UserId | null;
  items: Recommendation[];
  /** The model that answered (null = popularity or text only). */
  modelId: string | null;
  /** Short-term share a when the model has a fused gate. */
  shortTermShare?: number;
  /** @deprecated the same as shortTermShare (kept one release). */
  a?: number;
  /** Share of the behaviour scores that came from what is popular now, when the model has a time head. */
  trendShare?: number;
  /** Weight of the text similarity in the hybrid score. */
  textWeight: number;
  /** Events known for the user. */
  events: number;
}

export interface FacetView {
  label: string;
  weight: number;
  categories: { name: string; probability: number }[];
  /** The state after the latest events (a facets model on a SASRec), not an interest of its own. */
  latest: boolean;
}

/** A point in a user's interest history. */
export interface InterestPoint {
  at: number;
  seq: number;
  shortTermShare?: number;
  /** @deprecated the same as shortTermShare (kept one release). */
  a?: number;
  /** Top category shares at that time. */
  categories: Record<string, number>;
}

export interface InterestsView {
  userId: UserId;
  events: number;
  lastEventAt: number | null;
  shortTermShare?: number;
  /** @deprecated the same as shortTermShare (kept one release). */
  a?: number;
  facets: FacetView[];
  /** P(c | u) now: the change-point mixture of the user's events, strongest first (empty when the model lists no categories). */
  categories: { name: string; probability: number }[];
  history: InterestPoint[];
  recentItems: { itemId: ItemId; title?: string; type: EventType; at: number }[];
}
