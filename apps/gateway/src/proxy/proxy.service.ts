import { Readable } from 'node:stream';
import { Injectable } from '@nestjs/common';
import {
  BrokenCircuitError,
  BulkheadRejectedError,
  type ExecuteContext,
  HttpStatusError,
  RetriesExhaustedError,
  TimeoutError,
  parseRetryAfter,
} from '@dentalos/resilience';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { GatewayEnv } from '../config/gateway.env.js';
import { downstreamResponseHeaders, upstreamRequestHeaders } from './forwarded-headers.js';
import { hasBody, limitedBody } from './limited-body.js';
import { CircuitOpenError, PayloadTooLargeError, UpstreamSaturatedError, UpstreamTimeoutError, UpstreamUnreachableError } from './proxy.errors.js';
import { UpstreamMetrics } from './upstream-metrics.js';
import type { Exchange, ExchangeKind } from './upstream-policy.js';
import { type Upstream } from './upstream-registry.js';

/** Methods safe to send twice, and only when there is no body to replay. */
const IDEMPOTENT = new Set(['GET', 'HEAD', 'OPTIONS']);

/** Responses up to this size (with a Content-Length) are read whole before being sent on. */
const SMALL_BODY_BYTES = 16_384;

/** Error bodies are problem documents: small. Larger ones are cut, never buffered whole. */
const MAX_ERROR_BODY_BYTES = 65_536;

/**
 * Forwards one request to its upstream without rewriting the path, streaming the body both
 * ways: nothing larger than a socket buffer is held in memory. 5xx answers go through the
 * resilience stack as failures (they feed the breaker and may be retried) and, when that gives
 * up, are relayed to the client as the upstream sent them.
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
    const kind: ExchangeKind = withBody ? 'streamed' : IDEMPOTENT.has(request.method) ? 'retryable' : 'once';
    const labels = { upstream: upstream.name };
    const started = performance.now();
    this.metrics.inFlight.inc(labels);
    let exchange: Exchange;
    try {
      exchange = await upstream.policy.execute(kind, (ctx) => this.attempt(upstream, request, headers, body, ctx));
    } catch (error) {
      const relayed = relayable(error);
      if (relayed) {
        this.count(upstream.name, request.method, relayed.status);
        return reply.code(relayed.status).headers(downstreamResponseHeaders(relayed.headers)).send(relayed.body);
      }
      const problem = asProblem(error, upstream.name);
      this.count(upstream.name, request.method, (problem as { status?: number }).status ?? 500);
      throw problem;
    } finally {
      this.metrics.inFlight.dec(labels);
      this.metrics.duration.observe(labels, (performance.now() - started) / 1000);
    }
    this.count(upstream.name, request.method, exchange.statusCode);
    reply.code(exchange.statusCode).headers(downstreamResponseHeaders(exchange.headers));
    // Small bodies of known length go out with the headers in one write; the rest is streamed.
    const length = Number(exchange.headers['content-length']);
    if (length <= SMALL_BODY_BYTES) return reply.send(Buffer.from(await exchange.body.arrayBuffer()));
    return reply.send(exchange.body);
  }

  private count(upstream: string, method: string, status: number): void {
    this.metrics.requests.inc({ upstream, method, status_code: String(status) });
  }

  private async attempt(
    upstream: Upstream,
    request: FastifyRequest,
    headers: Record<string, string | string[]>,
    body: Readable | undefined,
    ctx: ExecuteContext,
  ): Promise<Exchange> {
    const exchange = await upstream.pool.request({
      method: request.method as 'GET',
      path: request.url,
      headers,
      body,
      signal: ctx.signal,
      // Deadlines are the resilience stack's; undici's own would race them with other errors.
      headersTimeout: 0,
      bodyTimeout: this.env.UPSTREAM_ROUTE_TIMEOUT_MS,
    });
    if (exchange.statusCode < 500) return exchange;
    const text = await readCapped(exchange.body);
    throw new HttpStatusError(
      upstream.name,
      request.method,
      request.url,
      exchange.statusCode,
      exchange.headers,
      text,
      parseRetryAfter(exchange.headers['retry-after']),
    );
  }
}

async function readCapped(body: Exchange['body']): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of body as AsyncIterable<Buffer>) {
    if (size >= MAX_ERROR_BODY_BYTES) continue; // drain the rest so the socket can be reused
    chunks.push(chunk);
    size += chunk.length;
  }
  return Buffer.concat(chunks).toString('utf8').slice(0, MAX_ERROR_BODY_BYTES);
}

/** What the last attempt failed with, looking through a retry give-up. */
function lastError(error: unknown): unknown {
  return error instanceof RetriesExhaustedError ? error.cause : error;
}

function relayable(error: unknown): HttpStatusError | undefined {
  const last = lastError(error);
  return last instanceof HttpStatusError ? last : undefined;
}

function asProblem(error: unknown, upstream: string): unknown {
  const last = lastError(error);
  if (last instanceof PayloadTooLargeError) return last;
  const cause = (last as { cause?: unknown } | undefined)?.cause;
  if (cause instanceof PayloadTooLargeError) return cause;
  if (last instanceof BrokenCircuitError) return new CircuitOpenError(upstream, Math.max(1, Math.ceil((last.retryAfterMs ?? 1_000) / 1000)));
  if (last instanceof BulkheadRejectedError) return new UpstreamSaturatedError(upstream);
  if (last instanceof TimeoutError) return new UpstreamTimeoutError(upstream);
  return new UpstreamUnreachableError(upstream, last);
}
