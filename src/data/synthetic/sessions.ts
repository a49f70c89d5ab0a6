import type { Rng } from '../../core/random.js';
import { DEVICES, type EventContext } from './context.js';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

/** Users start within this many days of the world's start time, so the global log interleaves. */
const START_SPREAD_DAYS = 14;
const SESSION_LENGTH = { min: 2, max: 8 } as const;
/** Minutes between two events of one session. */
const IN_SESSION_GAP_MINUTES = { min: 1, max: 15 } as const;
/** Relative odds of the next session starting 0, 1, 2... days later. */
const DAYS_BETWEEN_SESSIONS_WEIGHTS = [35, 35, 15, 8, 4, 3];
/** Relative odds of a session starting at each UTC hour: quiet nights, busy evenings. */
const SESSION_HOUR_WEIGHTS = [
  0.3, 0.2, 0.1, 0.1, 0.1, 0.2, 0.6, 1, 1, 1, 0.8, 0.8, 0.9, 0.8, 0.7, 0.7, 0.8, 1, 1.4, 1.6, 1.6, 1.5, 1.1,
  0.6,
];
const DEVICE_WEIGHTS = [0.55, 0.3, 0.15];
/** Share of a user's sessions on their preferred device. */
const PREFERRED_DEVICE_SHARE = 0.7;

/** When and how one event happens. */
export interface EventMoment {
  readonly timestamp: number;
  readonly context: EventContext;
}

/**
 * Times and contexts of `count` events of one user: sessions of 2-8 events a few minutes apart,
 * separated by hours or days. Timestamps strictly increase (whole seconds); context.hour is the
 * UTC hour of the timestamp; the device is fixed for a session.
 */
export function scheduleUser(rng: Rng, count: number, worldStartMs: number): EventMoment[] {
  const preferredDevice = DEVICES[rng.weightedIndex(DEVICE_WEIGHTS)];
  const moments: EventMoment[] = [];
  let sessionStart = startOfDay(worldStartMs) + rng.int(0, START_SPREAD_DAYS - 1) * DAY + sessionOffset(rng);
  if (sessionStart < worldStartMs) sessionStart += DAY;
  while (moments.length < count) {
    const device = rng.chance(PREFERRED_DEVICE_SHARE) ? preferredDevice : rng.pick(DEVICES);
    const length = Math.min(rng.int(SESSION_LENGTH.min, SESSION_LENGTH.max), count - moments.length);
    let timestamp = sessionStart;
    for (let i = 0; i < length; i++) {
      if (i > 0) timestamp += inSessionGap(rng);
      moments.push({ timestamp, context: { hour: utcHour(timestamp), device } });
    }
    sessionStart = nextSessionStart(rng, timestamp);
  }
  return moments;
}

function nextSessionStart(rng: Rng, lastTimestamp: number): number {
  const days = rng.weightedIndex(DAYS_BETWEEN_SESSIONS_WEIGHTS);
  let start = startOfDay(lastTimestamp) + days * DAY + sessionOffset(rng);
  while (start < lastTimestamp + HOUR) start += DAY;
  return start;
}

/** Milliseconds into the day at which a session starts (whole seconds). */
function sessionOffset(rng: Rng): number {
  return rng.weightedIndex(SESSION_HOUR_WEIGHTS) * HOUR + rng.int(0, 3599) * 1000;
}

function inSessionGap(rng: Rng): number {
  return rng.int(IN_SESSION_GAP_MINUTES.min, IN_SESSION_GAP_MINUTES.max) * MINUTE + rng.int(0, 59) * 1000;
}

function startOfDay(timestamp: number): number {
  return timestamp - (((timestamp % DAY) + DAY) % DAY);
}

function utcHour(timestamp: number): number {
  return Math.floor((timestamp - startOfDay(timestamp)) / HOUR);
}
