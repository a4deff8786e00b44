import { Injectable } from '@nestjs/common';
import { AppError } from '@dentalos/core';
import { BrokenCircuitError, BulkheadRejectedError, HttpStatusError, RetriesExhaustedError, TimeoutError } from '@dentalos/resilience';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { GatewayEnv } from '../config/gateway.env.js';
import { downstreamResponseHeaders, upstreamRequestHeaders } from './forwarded-headers.js';
import { LimitedBody, hasBody } from './limited-body.js';
import {
  CircuitOpenError,
  PayloadTooLargeError,
  RequestBodyTimeoutError,
  UpstreamSaturatedError,
  UpstreamTimeoutError,
  UpstreamUnreachableError,
  isClientFault,
} from './proxy.errors.js';
import { UpstreamMetrics } from './upstream-metrics.js';
import { type Exchange, type ExchangeRequest, exchange } from './upstream-exchange.js';
import type { ExchangeKind } from './upstream-policy.js';
import type { Upstream } from './upstream-registry.js';

/** Methods safe to send twice, and only when there is no body to replay. */
const IDEMPOTENT = new Set(['GET', 'HEAD', 'OPTIONS']);

/**
 * Forwards one request to its upstream without rewriting the path, streaming large bodies both
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
    const body = withBody ? new LimitedBody(request.raw, limit) : undefined;
    const outgoing: ExchangeRequest = {
      upstream: upstream.name,
      method: request.method,
      path: request.url,
      headers: upstreamRequestHeaders(request, this.env.TRUSTED_PROXIES.length > 0),
      body: body?.stream,
      bodyTimeoutMs: this.env.UPSTREAM_ROUTE_TIMEOUT_MS,
    };
    const kind: ExchangeKind = body ? 'streamed' : IDEMPOTENT.has(request.method) ? 'retryable' : 'once';
    const started = performance.now();
    let answer: Exchange;
    try {
      answer = await upstream.policy.execute(
        kind,
        body ? (ctx) => uploading(upstream, outgoing, body, ctx.signal) : (ctx) => exchange(upstream.pool, outgoing, ctx.signal),
      );
    } catch (error) {
      // An answer given before the client's whole body was read ends the connection (RFC 9112
      // §9.6): the rest of the upload is never read, so the connection could not be reused.
      if (body && !body.complete) reply.header('connection', 'close');
      // The route deadline passed while the upload waited for the client's next bytes.
      if (body?.waitingForClient && lastError(error) instanceof TimeoutError) throw new RequestBodyTimeoutError();
      const relayed = relayable(error);
      if (relayed) {
        this.count(upstream.name, request.method, relayed.status);
        return reply.code(relayed.status).headers(downstreamResponseHeaders(relayed.headers)).send(relayed.body);
      }
      const problem = asProblem(error, upstream.name);
      this.count(upstream.name, request.method, (problem as { status?: number }).status ?? 500);
      throw problem;
    } finally {
      this.metrics.duration.observe({ upstream: upstream.name }, (performance.now() - started) / 1000);
    }
    this.count(upstream.name, request.method, answer.statusCode);
    reply.code(answer.statusCode).headers(downstreamResponseHeaders(answer.headers));
    if (body && !body.complete) reply.header('connection', 'close');
    return reply.send(answer.body);
  }

  private count(upstream: string, method: string, status: number): void {
    this.metrics.requests.inc({ upstream, method, status_code: String(status) });
  }
}

/** An exchange with a streamed body, whose deadline is the client's fault while it waits for the client. */
function uploading(upstream: Upstream, outgoing: ExchangeRequest, body: LimitedBody, signal: AbortSignal): Promise<Exchange> {
  return exchange(upstream.pool, outgoing, signal).catch((error: unknown) => {
    throw signal.aborted && body.waitingForClient ? new RequestBodyTimeoutError() : error;
  });
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
  // The client's own failure (oversized, stalled or abandoned body) is answered as such.
  if (isClientFault(last)) return last instanceof AppError ? last : (last as { cause: unknown }).cause;
  if (last instanceof BrokenCircuitError) return new CircuitOpenError(upstream, Math.max(1, Math.ceil((last.retryAfterMs ?? 1_000) / 1000)));
  if (last instanceof BulkheadRejectedError) return new UpstreamSaturatedError(upstream);
  if (last instanceof TimeoutError) return new UpstreamTimeoutError(upstream);
  return new UpstreamUnreachableError(upstream, last);
}
