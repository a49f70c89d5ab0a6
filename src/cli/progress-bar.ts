import type { ProgressMetrics, ProgressReporter } from '../core/progress.js';

const BAR_WIDTH = 24;
const REDRAW_MS = 100;
/** Jobs shorter than this get no line at all when the output is not a terminal. */
const QUIET_BELOW_MS = 1000;
/** Off a terminal (logs, pipes), a long job prints a line this often. */
const LOG_EVERY_MS = 30_000;

/**
 * A progress bar on stderr with elapsed time, ETA and the running metrics, redrawn in place on a
 * terminal; elsewhere (CI logs, pipes) one summary line per job that took more than a second.
 */
export class TerminalProgress implements ProgressReporter {
  private label = '';
  private total = 0;
  private done_ = 0;
  private started = 0;
  private lastDraw = 0;
  private metrics: ProgressMetrics = {};

  constructor(private readonly stream: NodeJS.WriteStream = process.stderr) {}

  start(label: string, total: number): void {
    this.label = label;
    this.total = total;
    this.done_ = 0;
    this.metrics = {};
    this.started = performance.now();
    this.lastDraw = 0;
  }

  tick(n: number, metrics?: ProgressMetrics): void {
    this.done_ += n;
    if (metrics) this.metrics = metrics;
    const now = performance.now();
    if (this.stream.isTTY && now - this.lastDraw >= REDRAW_MS && now - this.started >= REDRAW_MS) {
      this.lastDraw = now;
      this.stream.write(`\r${this.render(now)}\x1b[K`);
    } else if (!this.stream.isTTY && now - Math.max(this.lastDraw, this.started) >= LOG_EVERY_MS) {
      this.lastDraw = now;
      this.stream.write(`${this.render(now)}\n`);
    }
  }

  done(metrics?: ProgressMetrics): void {
    if (metrics) this.metrics = metrics;
    const now = performance.now();
    if (this.total > 0) this.done_ = this.total;
    if (this.stream.isTTY) {
      if (this.lastDraw > 0 || now - this.started >= QUIET_BELOW_MS)
        this.stream.write(`\r${this.render(now)}\x1b[K\n`);
    } else if (now - this.started >= QUIET_BELOW_MS) {
      this.stream.write(`${this.render(now)}\n`);
    }
  }

  /** One line: label, bar, percentage, elapsed, ETA, metrics. */
  render(now: number): string {
    const elapsed = (now - this.started) / 1000;
    const parts = [this.label];
    if (this.total > 0) {
      const fraction = Math.min(1, this.done_ / this.total);
      const filled = Math.round(fraction * BAR_WIDTH);
      const eta = fraction > 0 ? (elapsed / fraction) * (1 - fraction) : Number.NaN;
      parts.push(
        `[${'#'.repeat(filled)}${'-'.repeat(BAR_WIDTH - filled)}]`,
        `${(fraction * 100).toFixed(0)}%`,
      );
      parts.push(`${formatSeconds(elapsed)}`, fraction < 1 ? `ETA ${formatSeconds(eta)}` : '');
    } else {
      parts.push(`${this.done_.toLocaleString('en-US')}`, formatSeconds(elapsed));
    }
    for (const [name, value] of Object.entries(this.metrics)) parts.push(`${name}=${value}`);
    return parts.filter((p) => p !== '').join(' ');
  }
}

export function formatSeconds(seconds: number): string {
  if (!Number.isFinite(seconds)) return '?';
  if (seconds < 60) return `${seconds.toFixed(1)}s`;
  const minutes = Math.floor(seconds / 60);
  return `${minutes}m${Math.round(seconds - minutes * 60)
    .toString()
    .padStart(2, '0')}s`;
}
