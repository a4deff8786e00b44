import { Injectable } from '@nestjs/common';
import { Readable } from 'node:stream';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { errors } from 'undici';
import { GatewayEnv } from '../config/gateway.env.js';
import { downstreamResponseHeaders, upstreamRequestHeaders } from './forwarded-headers.js';
import { hasBody, limitedBody } from './limited-body.js';
import { PayloadTooLargeError, UpstreamTimeoutError, UpstreamUnreachableError } from './proxy.errors.js';
import { UpstreamMetrics } from './upstream-metrics.js';
import type { Exchange } from './upstream-policy.js';
import { type Upstream } from './upstream-registry.js';

/** Methods safe to send twice, and only when there is no body to replay. */
const IDEMPOTENT = new Set(['GET', 'HEAD', 'OPTIONS']);

const TIMEOUT_CODES = new Set(['UND_ERR_HEADERS_TIMEOUT', 'UND_ERR_CONNECT_TIMEOUT', 'UND_ERR_BODY_TIMEOUT']);

/**
 * Forwards one request to its upstream without rewriting the path, streaming the body both
 * ways: nothing larger than a socket buffer is held in memory.
 */
@Injectable()
export class ProxyService {
  constructor(
    private readonly env: GatewayEnv,
    private readonly metrics: UpstreamMetrics,
  ) {}

  async forward(request: FastifyRequest, reply: FastifyReply, upstream: Upstream): Promise<FastifyReply> {
    const withBody = hasBody(request.headers);
    const limit = this.env.GATEWAY_PROXY_BODY_LIMIT_BYTES;
    if (withBody && Number(request.headers['content-length'] ?? 0) > limit) throw new PayloadTooLargeError(limit);
    const headers = upstreamRequestHeaders(request, this.env.TRUST_PROXY);
    const body = withBody ? Readable.from(limitedBody(request.raw, limit), { objectMode: false }) : undefined;
    const retryable = !withBody && IDEMPOTENT.has(request.method);
    const labels = { upstream: upstream.name };
    const started = performance.now();
    this.metrics.inFlight.inc(labels);
    let exchange: Exchange;
    try {
      exchange = await upstream.policy.execute(
        (tryTimeoutMs) => this.attempt(upstream, request, headers, body, tryTimeoutMs),
        retryable,
      );
    } catch (error) {
      this.metrics.requests.inc({ ...labels, method: request.method, status_code: statusOf(error) });
      throw error;
    } finally {
      this.metrics.inFlight.dec(labels);
      this.metrics.duration.observe(labels, (performance.now() - started) / 1000);
    }
    this.metrics.requests.inc({ ...labels, method: request.method, status_code: String(exchange.statusCode) });
    return reply.code(exchange.statusCode).headers(downstreamResponseHeaders(exchange.headers)).send(exchange.body);
  }

  private async attempt(
    upstream: Upstream,
    request: FastifyRequest,
    headers: Record<string, string | string[]>,
    body: Readable | undefined,
    tryTimeoutMs: number,
  ): Promise<Exchange> {
    try {
      return await upstream.pool.request({
        method: request.method as 'GET',
        path: request.url,
        headers,
        body,
        // A streamed upload may legitimately take longer than a try; its deadline is the route's.
        headersTimeout: body ? this.env.UPSTREAM_ROUTE_TIMEOUT_MS : tryTimeoutMs,
        bodyTimeout: this.env.UPSTREAM_ROUTE_TIMEOUT_MS,
      });
    } catch (error) {
      throw classify(error, upstream.name);
    }
  }
}

function classify(error: unknown, upstream: string): unknown {
  if (error instanceof PayloadTooLargeError) return error;
  const cause = (error as { cause?: unknown }).cause;
  if (cause instanceof PayloadTooLargeError) return cause;
  const code = (error as { code?: string }).code;
  if (code && TIMEOUT_CODES.has(code)) return new UpstreamTimeoutError(upstream);
  if (error instanceof errors.RequestAbortedError) return error;
  return new UpstreamUnreachableError(upstream, error);
}

function statusOf(error: unknown): string {
  const status = (error as { status?: unknown }).status;
  return typeof status === 'number' ? String(status) : '500';
}
