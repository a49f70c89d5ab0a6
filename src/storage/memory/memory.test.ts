import { describeStoreContract } from '../../../test/contracts/store.js';
import { createMemoryStore } from './index.js';

describeStoreContract('memory', async () => createMemoryStore());
