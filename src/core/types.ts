/** External identifiers as users send them. */
export type UserId = string;
export type ItemId = string;

export const EVENT_TYPES = ['view', 'click', 'cart', 'purchase', 'rating', 'custom'] as const;
export type EventType = (typeof EVENT_TYPES)[number];
/** The code of `rating` in a corpus' types: the events whose value is a rating. */
export const RATING_TYPE = EVENT_TYPES.indexOf('rating');

/** Context of an event or a request (time of day, device, scene...). */
export type Context = Record<string, string | number | boolean>;

/** One behaviour event. `timestamp` is milliseconds since the epoch when known. */
export interface Event {
  userId: UserId;
  itemId: ItemId;
  type: EventType;
  /** Rating value, price, dwell time... depending on the type. */
  value?: number;
  timestamp?: number;
  context?: Context;
}

/** One catalogue item. */
export interface Item {
  itemId: ItemId;
  title?: string;
  text?: string;
  categories?: string[];
  attributes?: Record<string, string | number | boolean>;
}

export function isEventType(value: string): value is EventType {
  return (EVENT_TYPES as readonly string[]).includes(value);
}
