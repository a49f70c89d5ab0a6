/** Running figures shown beside a progress bar (loss, NDCG@10...). */
export type ProgressMetrics = Record<string, number | string>;

/**
 * What long jobs report to. The CLI renders it as a bar with ETA; library callers may
 * pass their own or none.
 */
export interface ProgressReporter {
  start(label: string, total: number): void;
  /** Advances by `n` units of work and updates the running metrics. */
  tick(n: number, metrics?: ProgressMetrics): void;
  done(metrics?: ProgressMetrics): void;
}

/** A reporter that reports nothing, for tests and quiet library use. */
export const silentProgress: ProgressReporter = {
  start() {},
  tick() {},
  done() {},
};
