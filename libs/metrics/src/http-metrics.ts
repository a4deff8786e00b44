import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { MetricsRegistry } from './metrics-registry.js';

/**
 * Bucket edges include every latency SLO threshold we alert on (20 ms enterprise reads,
 * 100 ms/500 ms route SLOs, 1 s event delivery) so burn-rate queries can use `le` exactly.
 */
export const HTTP_DURATION_BUCKETS = [0.005, 0.01, 0.02, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

const UNMATCHED_ROUTE = 'unmatched';
const COUNTED = Symbol('dentalos.metrics.counted');

type CountedRequest = FastifyRequest & { [COUNTED]?: boolean };

/** RED metrics for every HTTP request, recorded in Fastify hooks after exception filters ran. */
export class HttpMetrics {
  private readonly requests;
  private readonly duration;
  private readonly inFlight;

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
    fastify.addHook('onRequest', async (request: CountedRequest) => {
      request[COUNTED] = true;
      this.inFlight.inc();
    });
    fastify.addHook('onResponse', async (request: CountedRequest, reply) => this.finish(request, reply));
    fastify.addHook('onRequestAbort', async (request: CountedRequest) => this.leave(request));
  }

  private finish(request: CountedRequest, reply: FastifyReply): void {
    this.leave(request);
    const labels = {
      method: request.method,
      // The route template, never the raw URL, so label cardinality stays bounded.
      route: request.routeOptions.url ?? UNMATCHED_ROUTE,
      status_code: String(reply.statusCode),
    };
    this.requests.inc(labels);
    this.duration.observe(labels, reply.elapsedTime / 1000);
  }

  private leave(request: CountedRequest): void {
    if (!request[COUNTED]) return;
    request[COUNTED] = false;
    this.inFlight.dec();
  }
}
