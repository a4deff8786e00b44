import type { Metric } from 'prom-client';

type Labels = Record<'method' | 'route' | 'status_code', string>;

/** One label set's request count, duration sum and per-bucket (not yet cumulative) counts. */
export interface RequestSeries {
  readonly labels: Labels;
  count: number;
  sumSeconds: number;
  readonly buckets: Float64Array;
}

interface RenderedValue {
  labels: Record<string, string | number>;
  value: number;
  metricName?: string;
}

/**
 * The subset of prom-client's metric contract its registry renders: a name, help, type and the
 * values read at scrape time.
 */
interface CollectedMetric {
  name: string;
  help: string;
  type: 'counter' | 'histogram';
  aggregator: 'sum';
  get(): Promise<{ name: string; help: string; type: string; aggregator: 'sum'; values: RenderedValue[] }>;
  reset(): void;
}

function collected(name: string, help: string, type: CollectedMetric['type'], values: () => RenderedValue[], reset: () => void): Metric {
  const metric: CollectedMetric = {
    name,
    help,
    type,
    aggregator: 'sum',
    get: async () => ({ name, help, type, aggregator: 'sum', values: values() }),
    reset,
  };
  return metric as unknown as Metric;
}

/**
 * Request counts and durations per (method, route, status), counted in plain numbers and read by
 * prom-client's registry at scrape time. prom-client's own counter and histogram hash and
 * validate the label set and look buckets up by stringified bound on every observation, one of
 * the larger costs of a trivial request when the shared pipeline was profiled.
 */
export class RequestSeriesSet {
  private readonly series: RequestSeries[] = [];

  constructor(private readonly bounds: readonly number[]) {}

  create(labels: Labels): RequestSeries {
    const series = { labels, count: 0, sumSeconds: 0, buckets: new Float64Array(this.bounds.length) };
    this.series.push(series);
    return series;
  }

  observe(series: RequestSeries, seconds: number): void {
    series.count += 1;
    series.sumSeconds += seconds;
    const bucket = this.bucketOf(seconds);
    if (bucket >= 0) series.buckets[bucket]! += 1;
  }

  counter(name: string, help: string): Metric {
    return collected(name, help, 'counter', () => this.series.map((series) => ({ labels: series.labels, value: series.count })), () => this.reset());
  }

  histogram(name: string, help: string): Metric {
    return collected(name, help, 'histogram', () => this.series.flatMap((series) => this.histogramValues(name, series)), () => this.reset());
  }

  private bucketOf(seconds: number): number {
    for (let index = 0; index < this.bounds.length; index++) if (seconds <= this.bounds[index]!) return index;
    return -1;
  }

  private histogramValues(name: string, series: RequestSeries): RenderedValue[] {
    const values: RenderedValue[] = [];
    let cumulative = 0;
    this.bounds.forEach((bound, index) => {
      cumulative += series.buckets[index]!;
      values.push({ metricName: `${name}_bucket`, labels: { ...series.labels, le: bound }, value: cumulative });
    });
    values.push({ metricName: `${name}_bucket`, labels: { ...series.labels, le: '+Inf' }, value: series.count });
    values.push({ metricName: `${name}_sum`, labels: series.labels, value: series.sumSeconds });
    values.push({ metricName: `${name}_count`, labels: series.labels, value: series.count });
    return values;
  }

  private reset(): void {
    for (const series of this.series) {
      series.count = 0;
      series.sumSeconds = 0;
      series.buckets.fill(0);
    }
  }
}
