import type { TrainConfig } from './config.js';

/** The learning rate of batch `step` (0-based) of a run planned for `totalSteps` batches. */
export function scheduledRate(
  config: Pick<TrainConfig, 'learningRate' | 'schedule'>,
  step: number,
  totalSteps: number,
): number {
  const done = Math.min(Math.max(step / totalSteps, 0), 1);
  switch (config.schedule) {
    case 'constant':
      return config.learningRate;
    case 'linear':
      return config.learningRate * (1 - done);
    case 'cosine':
      return config.learningRate * 0.5 * (1 + Math.cos(Math.PI * done));
  }
}
