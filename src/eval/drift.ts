import type { Dataset } from '../data/dataset.js';
import type { World } from '../data/synthetic/index.js';
import type { CategoryPredictor, Scorer } from '../models/model.js';
import { categoryHeadShare, interestShiftShare, itemTopics, nextItemMassShare } from './drift-lag.js';

export interface DriftFollowing {
  /** Drifting users measured (first drift with `settle` events of history on both sides). */
  users: number;
  /** Mean P(new topic | u) just before the drift and once it has settled. */
  before: number;
  after: number;
  /** Share of users for whom P(new topic | u) rose. */
  rising: number;
  example?: { userId: string; from: string; to: string; before: number; after: number };
}

/**
 * Whether a model's P(c | u), as `GET /users/:id/interests` shows it (the change-point mixture of the
 * events with the model's next-item topic mass as its prior; or the topic mass alone, or its category
 * head), follows the world's planted interest drift: for each user's first drift,
 * P(new topic | history up to the drift) against P(new topic | history up to `settle` events after
 * the drift's ramp). The dataset must keep every event (no k-core) so that its positions line up
 * with the world's per-user event indices.
 */
export function measureDriftFollowing(
  model: Scorer & Partial<CategoryPredictor>,
  dataset: Dataset,
  world: World,
  options: { settle?: number; source?: 'interest shift' | 'next-item mass' | 'category head' } = {},
): DriftFollowing {
  const settle = options.settle ?? 8;
  const share =
    options.source === 'category head'
      ? categoryHeadShare(model as CategoryPredictor, dataset)
      : options.source === 'next-item mass'
        ? nextItemMassShare(model, dataset, itemTopics(dataset))
        : interestShiftShare(dataset, itemTopics(dataset), model);
  const shareOf = (user: number, end: number, topic: string) =>
    share({ user, at: 0, end: 0, to: topic }, end);
  let [before, after, rising, users] = [0, 0, 0, 0];
  let example: DriftFollowing['example'];
  for (const [userId, truth] of Object.entries(world.truth.users)) {
    const drift = truth.drifts[0];
    const user = dataset.userIds.indexOf(userId);
    if (!drift || user < 0 || drift.atEventIndex < settle) continue;
    const settled = drift.atEventIndex + drift.rampEvents + settle;
    if (settled > (truth.drifts[1]?.atEventIndex ?? truth.eventCount)) continue;
    const [b, a] = [shareOf(user, drift.atEventIndex, drift.to), shareOf(user, settled, drift.to)];
    before += b;
    after += a;
    rising += a > b ? 1 : 0;
    users++;
    example ??= { userId, from: drift.from, to: drift.to, before: b, after: a };
  }
  const n = Math.max(users, 1);
  return { users, before: before / n, after: after / n, rising: rising / n, example };
}
