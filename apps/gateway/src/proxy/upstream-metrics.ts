import { Injectable } from '@nestjs/common';
import { HTTP_DURATION_BUCKETS, MetricsRegistry } from '@dentalos/metrics';

type Counter = ReturnType<MetricsRegistry['counter']>;
type Histogram = ReturnType<MetricsRegistry['histogram']>;

/**
 * RED metrics per upstream, beside the per-route ones the platform records for every request.
 * Requests in flight are read from each upstream's bulkhead at scrape time (UpstreamRegistry).
 */
@Injectable()
export class UpstreamMetrics {
  readonly requests: Counter;
  readonly duration: Histogram;
  readonly attempts: Counter;

  constructor(metrics: MetricsRegistry) {
    this.requests = metrics.counter('gateway_upstream_requests_total', 'Requests proxied per upstream and outcome', [
      'upstream',
      'method',
      'status_code',
    ]);
    this.duration = metrics.histogram(
      'gateway_upstream_request_duration_seconds',
      'Time to the upstream response headers, retries included',
      HTTP_DURATION_BUCKETS,
      ['upstream'],
    );
    this.attempts = metrics.counter('gateway_upstream_attempts_total', 'Attempts sent to each upstream, first tries and retries apart', [
      'upstream',
      'kind',
    ]);
  }
}
