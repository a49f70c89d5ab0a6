/** The generated world of the drift benches: every user switches topic once, abruptly. */
import { type Dataset, loadDataset } from '../src/data/dataset.js';
import { PreprocessConfig } from '../src/data/preprocess.js';
import { generateWorld, type World, worldSource } from '../src/data/synthetic/index.js';
import { type SwitchCase, switchCases } from '../src/eval/drift-lag.js';

/** The world (`noise`: share of events on random topics), its data set with every event kept, and each user's switch. */
export async function switchWorld(
  seed: number,
  users: number,
  noise: number,
): Promise<{ world: World; data: Dataset; cases: SwitchCase[] }> {
  const world = generateWorld({
    seed,
    users,
    driftProbability: 1,
    maxDrifts: 1,
    gradualDriftShare: 0,
    noiseShare: noise,
  });
  const data = await loadDataset(worldSource(world), {
    preprocess: PreprocessConfig.parse({ minItemEvents: 1, minUserEvents: 1 }),
  });
  return { world, data, cases: switchCases(data, world.truth.users) };
}
