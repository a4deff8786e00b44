import { Agent, type Dispatcher } from 'undici';
import type { Clock } from '../core/clock.js';
import { systemClock } from '../core/clock.js';
import { checkName, checkNumber, optionalNumber } from '../core/options.js';
import type { Policy } from '../core/policy.js';
import { InvalidPolicyOptionError } from '../core/resilience.errors.js';
import { parseRetryAfter } from '../core/retry-after.js';
import { BulkheadPolicy, type BulkheadOptions } from '../policies/bulkhead.policy.js';
import type { CircuitBreakerOptions } from '../policies/circuit-breaker.options.js';
import { CircuitBreakerPolicy } from '../policies/circuit-breaker.policy.js';
import { RetryPolicy, type RetryOptions } from '../policies/retry.policy.js';
import { TimeoutPolicy } from '../policies/timeout.policy.js';
import { WrappedPolicy } from '../policies/wrap.js';
import { HttpStatusError } from './http-status.error.js';

export interface ResilientHttpClientOptions {
  /** Upstream name: metric label and error text. */
  name: string;
  /** Origin (and optional path prefix) of the upstream, e.g. `http://user:3002`. */
  baseUrl: string;
  /** Limit for one attempt (default 2 s). */
  perTryTimeoutMs?: number;
  /** Limit for the whole call, retries and waits included (default 5 s). */
  deadlineMs?: number;
  /** Default: 3 attempts, exponential backoff from 50 ms capped at 1 s, full jitter. */
  retry?: Omit<RetryOptions, 'name' | 'clock'>;
  /** Default: count window of 20 calls, 50% failures after 10 calls, open 10 s, 1 probe. `false` disables it. */
  breaker?: Omit<CircuitBreakerOptions, 'name' | 'clock'> | false;
  /** Default: 64 concurrent, 256 queued. */
  bulkhead?: Omit<BulkheadOptions, 'name'>;
  /** Keep-alive sockets per origin (default 64). */
  connections?: number;
  /** Idle keep-alive sockets close after this (default 4 s, below Node's server default of 5 s). */
  keepAliveTimeoutMs?: number;
  /** Largest error body kept on {@link HttpStatusError} (default 64 KiB). */
  maxErrorBodyBytes?: number;
  clock?: Clock;
}

export interface HttpRequest {
  method?: Dispatcher.HttpMethod;
  /** Path (and query) under the base URL. */
  path: string;
  headers?: Record<string, string>;
  body?: string | Buffer | Uint8Array;
  /** Caller's cancellation, e.g. the inbound request closing. */
  signal?: AbortSignal;
  /** Retry this request even though its method is not idempotent (an `Idempotency-Key` header implies it). */
  idempotent?: boolean;
}

export interface HttpResponse {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  /** The body, read in full. */
  body: Buffer;
  json<T = unknown>(): T;
  text(): string;
}

const IDEMPOTENT_METHODS: ReadonlySet<string> = new Set(['GET', 'HEAD', 'OPTIONS', 'PUT', 'DELETE', 'TRACE']);

/**
 * Outbound HTTP for one upstream on undici: keep-alive sockets per origin, a per-try timeout
 * inside a whole-call deadline, retries for idempotent requests only, 429/502/503/504 and
 * network errors retried with `Retry-After` honoured, and a breaker and bulkhead of its own.
 * 4xx answers are returned, not thrown: they are the caller's business, not the upstream failing.
 */
export class ResilientHttpClient {
  readonly name: string;
  readonly breaker: CircuitBreakerPolicy | undefined;
  readonly bulkhead: BulkheadPolicy;
  readonly retry: RetryPolicy;
  /** Deadline → retry → breaker → bulkhead → per-try timeout. */
  readonly pipeline: Policy;
  /** The same without retry, for requests that must not be repeated. */
  readonly singleShot: Policy;
  private readonly origin: string;
  private readonly prefix: string;
  private readonly agent: Agent;
  private readonly maxErrorBodyBytes: number;
  private readonly clock: Clock;

  constructor(options: ResilientHttpClientOptions) {
    this.name = checkName('http.name', options?.name, 'upstream');
    let url: URL;
    try {
      url = new URL(options.baseUrl);
    } catch {
      throw new InvalidPolicyOptionError('http.baseUrl', 'must be an absolute http(s) URL', options.baseUrl);
    }
    if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new InvalidPolicyOptionError('http.baseUrl', 'must use http or https', options.baseUrl);
    this.origin = url.origin;
    this.prefix = url.pathname.replace(/\/+$/, '');
    this.clock = options.clock ?? systemClock;
    const perTry = optionalNumber('http.perTryTimeoutMs', options.perTryTimeoutMs, 2_000, { above: 0 });
    const deadline = optionalNumber('http.deadlineMs', options.deadlineMs, 5_000, { above: 0 });
    if (deadline < perTry) throw new InvalidPolicyOptionError('http.deadlineMs', `must be >= perTryTimeoutMs (${perTry})`, deadline);
    this.maxErrorBodyBytes = optionalNumber('http.maxErrorBodyBytes', options.maxErrorBodyBytes, 65_536, { min: 0, integer: true });
    const name = this.name;
    const clock = this.clock;
    this.retry = new RetryPolicy({ backoff: { type: 'exponential', initialDelayMs: 50, maxDelayMs: 1_000 }, ...options.retry, name, clock });
    this.breaker =
      options.breaker === false
        ? undefined
        : new CircuitBreakerPolicy({
            window: { type: 'count', size: 20 },
            minimumCalls: 10,
            openDuration: 10_000,
            ...options.breaker,
            // A 4xx is returned, not thrown; anything thrown by the client is the upstream failing.
            name,
            clock,
          });
    this.bulkhead = new BulkheadPolicy({ maxConcurrent: 64, maxQueue: 256, ...options.bulkhead, name });
    const attempt = [...(this.breaker ? [this.breaker] : []), this.bulkhead, new TimeoutPolicy({ name, timeoutMs: perTry, clock })];
    const whole = new TimeoutPolicy({ name, timeoutMs: deadline, clock, strategy: 'aggressive' });
    this.pipeline = new WrappedPolicy(name, [whole, this.retry, ...attempt]);
    this.singleShot = new WrappedPolicy(name, [whole, ...attempt]);
    this.agent = new Agent({
      connections: checkNumber('http.connections', options.connections ?? 64, { min: 1, integer: true }),
      keepAliveTimeout: optionalNumber('http.keepAliveTimeoutMs', options.keepAliveTimeoutMs, 4_000, { min: 1 }),
      // Timeouts are the policies' job; undici's own would race them with other error types.
      headersTimeout: 0,
      bodyTimeout: 0,
    });
  }

  async request(request: HttpRequest): Promise<HttpResponse> {
    const method = (request.method ?? 'GET').toUpperCase() as Dispatcher.HttpMethod;
    const idempotent = request.idempotent ?? (IDEMPOTENT_METHODS.has(method) || hasHeader(request.headers, 'idempotency-key'));
    const policy = idempotent ? this.pipeline : this.singleShot;
    return policy.execute(({ signal }) => this.once(method, request, signal), request.signal);
  }

  get<T = unknown>(path: string, init: Omit<HttpRequest, 'path' | 'method'> = {}): Promise<T> {
    return this.request({ ...init, path, method: 'GET' }).then((response) => response.json<T>());
  }

  /** Closes the keep-alive sockets; in-flight requests finish first. */
  close(): Promise<void> {
    return this.agent.close();
  }

  private async once(method: Dispatcher.HttpMethod, request: HttpRequest, signal: AbortSignal): Promise<HttpResponse> {
    const path = `${this.prefix}${request.path.startsWith('/') ? '' : '/'}${request.path}`;
    const response = await this.agent.request({ origin: this.origin, path, method, headers: request.headers, body: request.body, signal });
    if (response.statusCode >= 500 || response.statusCode === 429) {
      const body = await readCapped(response.body, this.maxErrorBodyBytes);
      const retryAfterMs = parseRetryAfter(response.headers['retry-after'], this.clock.epochNow());
      throw new HttpStatusError(this.name, method, path, response.statusCode, response.headers, body, retryAfterMs);
    }
    const body = Buffer.from(await response.body.arrayBuffer());
    return {
      status: response.statusCode,
      headers: response.headers,
      body,
      text: () => body.toString('utf8'),
      json: <T>() => JSON.parse(body.toString('utf8')) as T,
    };
  }
}

function hasHeader(headers: Record<string, string> | undefined, name: string): boolean {
  return headers !== undefined && Object.keys(headers).some((key) => key.toLowerCase() === name);
}

/** Reads at most `limit` bytes of an error body and discards the rest, so the socket can be reused. */
async function readCapped(body: Dispatcher.ResponseData['body'], limit: number): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of body) {
    const buffer = chunk as Buffer;
    if (size < limit) chunks.push(buffer.subarray(0, limit - size));
    size += buffer.length;
  }
  return Buffer.concat(chunks).toString('utf8');
}
