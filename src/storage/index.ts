/**
 * Tide's storage: the ports the engine sees (see ports.ts for each interface) and the ways to open
 * a backend. Most code only needs `openStore`; SQLite is reached through it (`sqlite://`), which
 * loads the native module only when a SQLite store is opened.
 */
export { createMemoryStore } from './memory/index.js';
export { openStore } from './open.js';
export type {
  AppendResult,
  DeletionReport,
  EventLog,
  InterestSnapshot,
  ItemStore,
  LoggedEvent,
  ModelRecord,
  ModelRegistry,
  StateStore,
  Store,
  UserStateRecord,
} from './ports.js';
