/**
 * What every Store must do, as one vitest suite each backend runs against itself:
 * `describeStoreContract('sqlite', () => openStore('sqlite://:memory:'))`. A new backend passes
 * this before it is added to the registry in open.ts.
 */
import { describe } from 'vitest';
import { describeEventLogContract } from './store/events.js';
import type { MakeStore } from './store/helpers.js';
import { describeItemStoreContract } from './store/items.js';
import { describeModelRegistryContract } from './store/models.js';
import { describeStateStoreContract } from './store/states.js';
import { describeStoreWideContract } from './store/store.js';

export { expectTideError, view } from './store/helpers.js';

/**
 * Registers the contract tests for one backend; `makeStore` opens a fresh, empty store per test.
 *
 * @example
 * describeStoreContract('memory', async () => createMemoryStore());
 */
export function describeStoreContract(name: string, makeStore: MakeStore): void {
  describe(`${name} (store contract)`, () => {
    describeEventLogContract(makeStore);
    describeItemStoreContract(makeStore);
    describeStateStoreContract(makeStore);
    describeModelRegistryContract(makeStore);
    describeStoreWideContract(makeStore);
  });
}
