import type { UserId } from '../../core/types.js';
import type { InterestSnapshot, StateStore, UserStateRecord } from '../ports.js';
import { validateLimit, validateSnapshots, validateStates } from '../validation.js';

const copyState = (r: UserStateRecord): UserStateRecord => ({ ...r, state: Uint8Array.from(r.state) });

/** Snapshots sort by time, then seq; equal keys keep arrival order (as SQLite's rowid tiebreak). */
function snapshotOrder(a: InterestSnapshot, b: InterestSnapshot): number {
  return a.at - b.at || a.seq - b.seq;
}

export class MemoryStateStore implements StateStore {
  private readonly byModel = new Map<string, Map<UserId, UserStateRecord>>();
  private readonly snapshotsByUser = new Map<UserId, InterestSnapshot[]>();

  constructor(private readonly ensureOpen: () => void) {}

  async get(userId: UserId, modelId: string): Promise<UserStateRecord | undefined> {
    this.ensureOpen();
    const record = this.byModel.get(modelId)?.get(userId);
    return record && copyState(record);
  }

  async put(records: readonly UserStateRecord[]): Promise<void> {
    this.ensureOpen();
    validateStates(records);
    for (const record of records) {
      const users = this.byModel.get(record.modelId) ?? new Map<UserId, UserStateRecord>();
      const stored = users.get(record.userId);
      if (stored && stored.appliedSeq > record.appliedSeq) continue;
      users.set(record.userId, copyState(record));
      this.byModel.set(record.modelId, users);
    }
  }

  async clear(modelId?: string): Promise<void> {
    this.ensureOpen();
    if (modelId === undefined) this.byModel.clear();
    else this.byModel.delete(modelId);
  }

  async appendSnapshots(snapshots: readonly InterestSnapshot[]): Promise<void> {
    this.ensureOpen();
    validateSnapshots(snapshots);
    for (const snapshot of snapshots) {
      const own = this.snapshotsByUser.get(snapshot.userId) ?? [];
      own.push({ ...snapshot });
      // Array.prototype.sort is stable, so ties stay in arrival order.
      if (own.length > 1 && snapshotOrder(own[own.length - 2], snapshot) > 0) own.sort(snapshotOrder);
      this.snapshotsByUser.set(snapshot.userId, own);
    }
  }

  async snapshots(userId: UserId, limit: number): Promise<InterestSnapshot[]> {
    this.ensureOpen();
    validateLimit(limit);
    const own = this.snapshotsByUser.get(userId) ?? [];
    return own.slice(Math.max(0, own.length - limit)).map((s) => ({ ...s }));
  }

  /** Removes a user's states under every model and their snapshots; returns both counts. */
  removeUser(userId: UserId): { states: number; snapshots: number } {
    let states = 0;
    for (const users of this.byModel.values()) if (users.delete(userId)) states++;
    const snapshots = this.snapshotsByUser.get(userId)?.length ?? 0;
    this.snapshotsByUser.delete(userId);
    return { states, snapshots };
  }
}
