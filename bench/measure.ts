/** Helpers shared by the benchmark scripts: timing, peak memory, one JSON result line on stdout. */

export interface BenchResult {
  bench: string;
  [field: string]: unknown;
}

/** Peak resident set size of this process so far, in MiB (Linux reports maxRSS in KiB). */
export function peakRssMiB(): number {
  return Math.round(process.resourceUsage().maxRSS / 1024);
}

export async function timed<T>(work: () => Promise<T>): Promise<{ value: T; seconds: number }> {
  const started = performance.now();
  const value = await work();
  return { value, seconds: (performance.now() - started) / 1000 };
}

/** Prints the result as the last line of stdout, where bench/run.ts reads it. */
export function emit(result: BenchResult): void {
  process.stdout.write(`${JSON.stringify({ ...result, peakRssMiB: peakRssMiB() })}\n`);
}

export function argValue(name: string, fallback: string): string {
  const at = process.argv.indexOf(`--${name}`);
  return at >= 0 && process.argv[at + 1] !== undefined ? process.argv[at + 1] : fallback;
}

export const SHARED_DATA = new URL('../../shared/data/', import.meta.url).pathname;

/** Nearest-rank percentile (p in 0-100) of sorted values; 0 when there are none. */
export function percentile(sorted: ArrayLike<number>, p: number): number {
  return sorted.length === 0
    ? 0
    : sorted[Math.max(0, Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1))];
}

export interface Latencies {
  count: number;
  p50: number;
  p90: number;
  p99: number;
  max: number;
}

/** Count, p50, p90, p99 and the largest of a set of latencies (ms). */
export function latencies(ms: readonly number[]): Latencies {
  const sorted = ms.slice().sort((a, b) => a - b);
  return {
    count: sorted.length,
    p50: percentile(sorted, 50),
    p90: percentile(sorted, 90),
    p99: percentile(sorted, 99),
    max: sorted.at(-1) ?? 0,
  };
}
