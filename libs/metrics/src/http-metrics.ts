import type { FastifyReply, FastifyRequest } from 'fastify';
import type { MetricsRegistry } from './metrics-registry.js';
import { type RequestSeries, RequestSeriesSet } from './request-series.js';

/**
 * Bucket edges include every latency SLO threshold we alert on (20 ms enterprise reads,
 * 100 ms/500 ms route SLOs, 1 s event delivery) so burn-rate queries can use `le` exactly.
 */
export const HTTP_DURATION_BUCKETS = [0.005, 0.01, 0.02, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

const UNMATCHED_ROUTE = 'unmatched';
/** Label sets are bounded by routes × methods × statuses; past this, something is wrong. */
const MAX_SERIES = 5_000;
/** Where requests are counted once MAX_SERIES label sets exist, so memory stays bounded. */
const OVERFLOW_ROUTE = 'overflow';

/**
 * RED metrics for every HTTP request. The platform's request hooks call `started` and then either
 * `finished` (after exception filters ran, so the status is the one sent) or `aborted`.
 */
export class HttpMetrics {
  private readonly seriesSet = new RequestSeriesSet(HTTP_DURATION_BUCKETS);
  private readonly series = new Map<string, RequestSeries>();
  private overflow?: RequestSeries;
  private inFlight = 0;

  constructor(metrics: MetricsRegistry) {
    metrics.register(this.seriesSet.counter('http_server_requests_total', 'HTTP requests served'));
    metrics.register(this.seriesSet.histogram('http_server_request_duration_seconds', 'HTTP request duration from first byte read to last byte written'));
    metrics.businessGauge({ name: 'http_server_requests_in_flight', help: 'HTTP requests being served', collect: (gauge) => gauge.set(this.inFlight) });
  }

  started(): void {
    this.inFlight += 1;
  }

  finished(request: FastifyRequest, reply: FastifyReply): void {
    this.inFlight -= 1;
    // The route template, never the raw URL, so label cardinality stays bounded.
    const series = this.seriesFor(request.method, request.routeOptions.url ?? UNMATCHED_ROUTE, reply.statusCode);
    this.seriesSet.observe(series, reply.elapsedTime / 1000);
  }

  /** The client went away before the response was written: no status to count it under. */
  aborted(): void {
    this.inFlight -= 1;
  }

  private seriesFor(method: string, route: string, status: number): RequestSeries {
    const key = `${method} ${status} ${route}`;
    const known = this.series.get(key);
    if (known) return known;
    if (this.series.size >= MAX_SERIES) {
      this.overflow ??= this.seriesSet.create({ method: 'other', route: OVERFLOW_ROUTE, status_code: 'other' });
      return this.overflow;
    }
    const series = this.seriesSet.create({ method, route, status_code: String(status) });
    this.series.set(key, series);
    return series;
  }
}
