import type { FastifyInstance, FastifyReply, FastifyRequest, HookHandlerDoneFunction } from 'fastify';
import type { Counter, Histogram } from 'prom-client';
import type { MetricsRegistry } from './metrics-registry.js';

/**
 * Bucket edges include every latency SLO threshold we alert on (20 ms enterprise reads,
 * 100 ms/500 ms route SLOs, 1 s event delivery) so burn-rate queries can use `le` exactly.
 */
export const HTTP_DURATION_BUCKETS = [0.005, 0.01, 0.02, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

const UNMATCHED_ROUTE = 'unmatched';
const COUNTED = Symbol('dentalos.metrics.counted');
/** Label sets are bounded by routes × methods × statuses; past this, something is wrong. */
const MAX_SERIES = 5_000;

type CountedRequest = FastifyRequest & { [COUNTED]?: boolean };
type Labels = 'method' | 'route' | 'status_code';

interface Series {
  requests: ReturnType<Counter<Labels>['labels']>;
  duration: ReturnType<Histogram<Labels>['labels']>;
}

/** RED metrics for every HTTP request, recorded in Fastify hooks after exception filters ran. */
export class HttpMetrics {
  private readonly requests: Counter<Labels>;
  private readonly duration: Histogram<Labels>;
  private readonly inFlight;
  // prom-client hashes the label object on every inc/observe; bound children skip that.
  private readonly series = new Map<string, Series>();

  constructor(metrics: MetricsRegistry) {
    const labels = ['method', 'route', 'status_code'] as const;
    this.requests = metrics.counter('http_server_requests_total', 'HTTP requests served', labels);
    this.duration = metrics.histogram(
      'http_server_request_duration_seconds',
      'HTTP request duration from first byte read to last byte written',
      HTTP_DURATION_BUCKETS,
      labels,
    );
    this.inFlight = metrics.gauge('http_server_requests_in_flight', 'HTTP requests being served');
  }

  install(fastify: FastifyInstance): void {
    // Callback hooks: no promise per request on this hot path.
    fastify.addHook('onRequest', (request: CountedRequest, _reply: FastifyReply, done: HookHandlerDoneFunction) => {
      request[COUNTED] = true;
      this.inFlight.inc();
      done();
    });
    fastify.addHook('onResponse', (request: CountedRequest, reply: FastifyReply, done: HookHandlerDoneFunction) => {
      this.finish(request, reply);
      done();
    });
    fastify.addHook('onRequestAbort', (request: CountedRequest, done: HookHandlerDoneFunction) => {
      this.leave(request);
      done();
    });
  }

  private finish(request: CountedRequest, reply: FastifyReply): void {
    this.leave(request);
    // The route template, never the raw URL, so label cardinality stays bounded.
    const series = this.seriesFor(request.method, request.routeOptions.url ?? UNMATCHED_ROUTE, reply.statusCode);
    series.requests.inc();
    series.duration.observe(reply.elapsedTime / 1000);
  }

  private seriesFor(method: string, route: string, status: number): Series {
    const key = `${method} ${status} ${route}`;
    let series = this.series.get(key);
    if (!series) {
      const labels = { method, route, status_code: String(status) };
      series = { requests: this.requests.labels(labels), duration: this.duration.labels(labels) };
      if (this.series.size < MAX_SERIES) this.series.set(key, series);
    }
    return series;
  }

  private leave(request: CountedRequest): void {
    if (!request[COUNTED]) return;
    request[COUNTED] = false;
    this.inFlight.dec();
  }
}
