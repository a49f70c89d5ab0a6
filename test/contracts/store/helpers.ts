import { afterEach, beforeEach, expect } from 'vitest';
import { TideError, type TideErrorCode } from '../../../src/core/errors.js';
import type { Event } from '../../../src/core/types.js';
import type { Store } from '../../../src/storage/ports.js';

export type MakeStore = () => Promise<Store>;

/** A fresh store for every test of the enclosing describe, closed after it; call inside describe. */
export function useFreshStore(makeStore: MakeStore): () => Store {
  let store: Store | undefined;
  beforeEach(async () => {
    store = await makeStore();
  });
  afterEach(async () => {
    await store?.close();
    store = undefined;
  });
  return () => {
    if (!store) throw new Error('the store is only available inside a test');
    return store;
  };
}

/** Asserts the promise rejects with a TideError of `code` whose message matches `message`. */
export async function expectTideError(
  promise: Promise<unknown>,
  code: TideErrorCode,
  message: string | RegExp,
): Promise<void> {
  const error = await promise.then(
    () => undefined,
    (reason: unknown) => reason,
  );
  expect(error, 'expected the call to reject').toBeInstanceOf(TideError);
  expect((error as TideError).code).toBe(code);
  expect((error as TideError).message).toMatch(message);
}

/** A view event with an explicit time, so reads can be compared field for field. */
export function view(userId: string, itemId: string, timestamp = 1_700_000_000_000): Event {
  return { userId, itemId, type: 'view', timestamp };
}
