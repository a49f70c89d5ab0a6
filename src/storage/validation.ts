/**
 * Checks on what callers hand to a store, shared by every backend so they all reject the same input
 * with the same message. Each check runs over the whole batch before anything is written, so a bad
 * record stores nothing; the message names the record and field, as `events[3].type: "clik" is not
 * one of view, click, ...`.
 */
import { TideError } from '../core/errors.js';
import { idProblem } from '../core/event-checks.js';
import { EVENT_TYPES, type Event, type Item, isEventType } from '../core/types.js';
import type { InterestSnapshot, ModelRecord, UserStateRecord } from './ports.js';

function invalid(what: string, field: string, problem: string): TideError {
  return new TideError('INVALID_INPUT', `${field}: ${problem}`, { file: what, field });
}

/** The value as a message shows it, cut short so a huge input does not flood the log. */
function shown(value: unknown): string {
  let text = String(value);
  if (typeof value === 'string' || (typeof value === 'object' && value !== null)) {
    try {
      text = JSON.stringify(value) ?? text;
    } catch {
      // a cycle or a BigInt inside: String() will do
    }
  }
  return text.length > 60 ? `${text.slice(0, 57)}...` : text;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function checkBatch(what: string, batch: unknown): void {
  if (!Array.isArray(batch)) throw invalid(what, what, `expected an array, got ${shown(batch)}`);
}

function checkRecord(what: string, at: string, record: unknown): asserts record is Record<string, unknown> {
  if (!isPlainObject(record)) throw invalid(what, at, `expected an object, got ${shown(record)}`);
}

function checkId(what: string, field: string, value: unknown): void {
  if (typeof value !== 'string' || value.length === 0) {
    throw invalid(what, field, `${shown(value)} is not a non-empty string`);
  }
  const problem = idProblem(value);
  if (problem) throw invalid(what, field, `${shown(value)} ${problem}`);
}

function checkFinite(what: string, field: string, value: unknown): void {
  if (typeof value !== 'number' || !Number.isFinite(value)) {
    throw invalid(what, field, `${shown(value)} is not a finite number`);
  }
}

function checkSeq(what: string, field: string, value: unknown): void {
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < 0) {
    throw invalid(what, field, `${shown(value)} is not a sequence number (an integer >= 0)`);
  }
}

/** Context and attribute values must survive a JSON round trip: strings, finite numbers, booleans. */
function checkFlatRecord(what: string, field: string, record: unknown): void {
  if (!isPlainObject(record)) throw invalid(what, field, `expected an object, got ${shown(record)}`);
  for (const [key, value] of Object.entries(record)) {
    const ok =
      typeof value === 'string' ||
      typeof value === 'boolean' ||
      (typeof value === 'number' && Number.isFinite(value));
    if (!ok)
      throw invalid(what, `${field}.${key}`, `${shown(value)} is not a string, finite number or boolean`);
  }
}

/** @throws TideError('INVALID_INPUT') naming the first bad event; checks the whole batch first. */
export function validateEvents(events: readonly Event[]): void {
  checkBatch('events', events);
  events.forEach((event: unknown, index) => {
    const at = `events[${index}]`;
    checkRecord('events', at, event);
    checkId('events', `${at}.userId`, event.userId);
    checkId('events', `${at}.itemId`, event.itemId);
    if (typeof event.type !== 'string' || !isEventType(event.type)) {
      throw invalid('events', `${at}.type`, `${shown(event.type)} is not one of ${EVENT_TYPES.join(', ')}`);
    }
    if (event.value !== undefined) checkFinite('events', `${at}.value`, event.value);
    if (event.timestamp !== undefined) checkFinite('events', `${at}.timestamp`, event.timestamp);
    if (event.context !== undefined) checkFlatRecord('events', `${at}.context`, event.context);
  });
}

export function validateIdempotencyKey(key: unknown): void {
  if (key !== undefined) checkId('append', 'idempotencyKey', key);
}

/** Items are stored as JSON, so their known fields must be plain data that round-trips. */
export function validateItems(items: readonly Item[]): void {
  checkBatch('items', items);
  items.forEach((item: unknown, index) => {
    const at = `items[${index}]`;
    checkRecord('items', at, item);
    checkId('items', `${at}.itemId`, item.itemId);
    for (const field of ['title', 'text'] as const) {
      const value = item[field];
      if (value !== undefined && typeof value !== 'string') {
        throw invalid('items', `${at}.${field}`, `${shown(value)} is not a string`);
      }
    }
    const categories = item.categories;
    if (
      categories !== undefined &&
      !(Array.isArray(categories) && categories.every((c) => typeof c === 'string'))
    ) {
      throw invalid('items', `${at}.categories`, `${shown(categories)} is not an array of strings`);
    }
    if (item.attributes !== undefined) checkFlatRecord('items', `${at}.attributes`, item.attributes);
  });
}

export function validateStates(records: readonly UserStateRecord[]): void {
  checkBatch('states', records);
  records.forEach((record: unknown, index) => {
    const at = `states[${index}]`;
    checkRecord('states', at, record);
    checkId('states', `${at}.userId`, record.userId);
    checkId('states', `${at}.modelId`, record.modelId);
    checkSeq('states', `${at}.appliedSeq`, record.appliedSeq);
    if (!(record.state instanceof Uint8Array)) {
      throw invalid('states', `${at}.state`, `${shown(record.state)} is not a Uint8Array`);
    }
    checkFinite('states', `${at}.updatedAt`, record.updatedAt);
  });
}

export function validateSnapshots(snapshots: readonly InterestSnapshot[]): void {
  checkBatch('snapshots', snapshots);
  snapshots.forEach((snapshot: unknown, index) => {
    const at = `snapshots[${index}]`;
    checkRecord('snapshots', at, snapshot);
    checkId('snapshots', `${at}.userId`, snapshot.userId);
    checkFinite('snapshots', `${at}.at`, snapshot.at);
    checkSeq('snapshots', `${at}.seq`, snapshot.seq);
    if (typeof snapshot.data !== 'string') {
      throw invalid('snapshots', `${at}.data`, `${shown(snapshot.data)} is not a string`);
    }
  });
}

export function validateModel(record: Omit<ModelRecord, 'active'>): void {
  const model: unknown = record;
  checkRecord('model', 'model', model);
  checkId('model', 'model.id', model.id);
  checkId('model', 'model.dir', model.dir);
  checkId('model', 'model.family', model.family);
  checkFinite('model', 'model.createdAt', model.createdAt);
  checkRecord('model', 'model.metrics', model.metrics);
  for (const [name, value] of Object.entries(model.metrics))
    checkFinite('model', `model.metrics.${name}`, value);
}

/** A page size: an integer >= 0 (0 reads nothing). */
export function validateLimit(limit: unknown): void {
  if (typeof limit !== 'number' || !Number.isSafeInteger(limit) || limit < 0) {
    throw invalid('page', 'limit', `${shown(limit)} is not an integer >= 0`);
  }
}

export function validateAfterSeq(afterSeq: unknown): void {
  checkSeq('page', 'afterSeq', afterSeq);
}
