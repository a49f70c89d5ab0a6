/**
 * Request metrics in the Prometheus text exposition format (version 0.0.4), written by hand: a
 * counter of requests by route, method and status, a latency histogram by route and method, the
 * events ingested, and gauges the caller supplies (the engine's stats, process memory).
 */

/** Latency bucket upper bounds (seconds): fine below 10 ms, where the serving target lies. */
const BUCKETS = [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5];

interface Histogram {
  counts: number[];
  sum: number;
  count: number;
}

/** A figure for `render`: name, help text and value; a gauge unless it is a counter kept elsewhere. */
export interface Gauge {
  name: string;
  help: string;
  value: number;
  type?: 'gauge' | 'counter';
}

/**
 * The server's counters; one instance per app.
 *
 * @example
 * const metrics = new Metrics();
 * metrics.observe('/events', 'POST', 201, 0.004);
 * metrics.render([{ name: 'tide_engine_cached_users', help: 'Users in memory', value: 12 }]);
 */
export class Metrics {
  private readonly requests = new Map<string, { labels: string; value: number }>();
  private readonly latency = new Map<string, { labels: string; histogram: Histogram }>();
  private eventsIngested = 0;
  private eventsReplayed = 0;

  observe(route: string, method: string, status: number, seconds: number): void {
    const labels = `route="${escapeLabel(route)}",method="${escapeLabel(method)}"`;
    const counted = `${labels},status="${status}"`;
    const counter = this.requests.get(counted);
    if (counter) counter.value++;
    else this.requests.set(counted, { labels: counted, value: 1 });
    let entry = this.latency.get(labels);
    if (!entry) {
      entry = { labels, histogram: { counts: new Array(BUCKETS.length).fill(0), sum: 0, count: 0 } };
      this.latency.set(labels, entry);
    }
    const { histogram } = entry;
    for (let b = 0; b < BUCKETS.length; b++) if (seconds <= BUCKETS[b]) histogram.counts[b]++;
    histogram.sum += seconds;
    histogram.count++;
  }

  /** Counts events appended (`replayed` batches appended nothing and are counted apart). */
  ingested(events: number, replayed: boolean): void {
    if (replayed) this.eventsReplayed += events;
    else this.eventsIngested += events;
  }

  render(gauges: readonly Gauge[]): string {
    const lines: string[] = [];
    lines.push('# HELP tide_http_requests_total HTTP requests answered, by route, method and status.');
    lines.push('# TYPE tide_http_requests_total counter');
    for (const { labels, value } of this.requests.values())
      lines.push(`tide_http_requests_total{${labels}} ${value}`);
    lines.push('# HELP tide_http_request_duration_seconds Time to answer, by route and method.');
    lines.push('# TYPE tide_http_request_duration_seconds histogram');
    for (const { labels, histogram } of this.latency.values()) {
      for (let b = 0; b < BUCKETS.length; b++) {
        lines.push(
          `tide_http_request_duration_seconds_bucket{${labels},le="${BUCKETS[b]}"} ${histogram.counts[b]}`,
        );
      }
      lines.push(`tide_http_request_duration_seconds_bucket{${labels},le="+Inf"} ${histogram.count}`);
      lines.push(`tide_http_request_duration_seconds_sum{${labels}} ${histogram.sum}`);
      lines.push(`tide_http_request_duration_seconds_count{${labels}} ${histogram.count}`);
    }
    lines.push('# HELP tide_events_ingested_total Events appended to the log through the API.');
    lines.push('# TYPE tide_events_ingested_total counter');
    lines.push(`tide_events_ingested_total ${this.eventsIngested}`);
    lines.push('# HELP tide_events_replayed_total Events of batches answered from an idempotency key.');
    lines.push('# TYPE tide_events_replayed_total counter');
    lines.push(`tide_events_replayed_total ${this.eventsReplayed}`);
    for (const gauge of gauges) {
      lines.push(`# HELP ${gauge.name} ${gauge.help}`);
      lines.push(`# TYPE ${gauge.name} ${gauge.type ?? 'gauge'}`);
      lines.push(`${gauge.name} ${Number.isFinite(gauge.value) ? gauge.value : 'NaN'}`);
    }
    return `${lines.join('\n')}\n`;
  }
}

/** Label values escape backslash, double quote and newline. */
function escapeLabel(value: string): string {
  return value.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n');
}
