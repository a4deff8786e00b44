import { RedisEnv, toList } from '@dentalos/core';
import { Transform, Type } from 'class-transformer';
import { IsInt, IsString, Matches, Max, Min } from 'class-validator';

const UPSTREAM_ENTRY = /^[a-z][a-z0-9-]*=https?:\/\/[^\s,]+$/;
const ROUTE_ENTRY = /^[a-z0-9.-]+=[a-z][a-z0-9-]*$/;
const EXACT_ROUTE_ENTRY = /^\/[^\s=]*=[a-z][a-z0-9-]*$/;
const PUBLIC_ROUTE_ENTRY = /^(GET|HEAD|POST|PUT|PATCH|DELETE|OPTIONS|\*) \/\S*$/;
const RATE_RULE_ENTRY = /^(GET|HEAD|POST|PUT|PATCH|DELETE|OPTIONS|\*) \/\S*=\d+\/\d+$/;

/** Every variable the gateway reads; defaults are the local stack's. */
export class GatewayEnv extends RedisEnv {
  override PORT = 3000;
  override REDIS_KEY_PREFIX = 'gateway:';

  /** `name=baseUrl` per upstream service; Kubernetes Services give these names their DNS. */
  @Transform(toList)
  @Matches(UPSTREAM_ENTRY, { each: true, message: 'each entry must look like name=http://host:port' })
  GATEWAY_UPSTREAMS: string[] = ['user=http://127.0.0.1:3002', 'enterprise=http://127.0.0.1:3017', 'notification=http://127.0.0.1:3003'];

  /** `segment=upstream`: the first path segment after /api/v1 decides the owning service. */
  @Transform(toList)
  @Matches(ROUTE_ENTRY, { each: true, message: 'each entry must look like segment=upstream' })
  GATEWAY_ROUTES: string[] = [
    'auth=user',
    'users=user',
    'sessions=user',
    'organizations=enterprise',
    'permissions=enterprise',
    'notifications=notification',
    'templates=notification',
    'preferences=notification',
    'contacts=notification',
  ];

  /** `path=upstream` for exact paths outside /api/v1 (the signing keys). */
  @Transform(toList)
  @Matches(EXACT_ROUTE_ENTRY, { each: true, message: 'each entry must look like /exact/path=upstream' })
  GATEWAY_EXACT_ROUTES: string[] = ['/.well-known/jwks.json=user'];

  /** `METHOD /path` reachable without a token; a trailing `*` matches a whole subtree. */
  @Transform(toList)
  @Matches(PUBLIC_ROUTE_ENTRY, { each: true, message: 'each entry must look like "POST /api/v1/auth/login"' })
  GATEWAY_PUBLIC_ROUTES: string[] = [
    'POST /api/v1/auth/register',
    'POST /api/v1/auth/login',
    'POST /api/v1/auth/refresh',
    'POST /api/v1/auth/verify-email',
    'POST /api/v1/auth/password-reset/request',
    'POST /api/v1/auth/password-reset/confirm',
    'GET /.well-known/jwks.json',
  ];

  /** Largest request body streamed to an upstream; counted while streaming, 413 beyond it. */
  @Type(() => Number)
  @IsInt()
  @Min(1024)
  GATEWAY_PROXY_BODY_LIMIT_BYTES = 10 * 1_048_576;

  /** Slow-client protection: the whole header block must arrive within this time. */
  @Type(() => Number)
  @IsInt()
  @Min(100)
  GATEWAY_HEADERS_TIMEOUT_MS = 10_000;

  /** Kept-alive connections per upstream pool. */
  @Type(() => Number)
  @IsInt()
  @Min(1)
  UPSTREAM_CONNECTIONS = 64;

  /** Deadline of one attempt until the upstream's response headers arrive. */
  @Type(() => Number)
  @IsInt()
  @Min(10)
  UPSTREAM_TRY_TIMEOUT_MS = 2_000;

  /** Deadline of the whole exchange, retries and back-off included (Envoy's route timeout). */
  @Type(() => Number)
  @IsInt()
  @Min(10)
  UPSTREAM_ROUTE_TIMEOUT_MS = 6_000;

  /** Extra attempts for idempotent methods after a connection error, timeout or 502/503/504. */
  @Type(() => Number)
  @IsInt()
  @Min(0)
  @Max(5)
  UPSTREAM_RETRIES = 2;

  /** Base of the full-jitter back-off between attempts. */
  @Type(() => Number)
  @IsInt()
  @Min(1)
  UPSTREAM_RETRY_BASE_DELAY_MS = 25;

  /** Retries may add at most this share of primary traffic per upstream (retry budget). */
  @Type(() => Number)
  @IsInt()
  @Min(0)
  @Max(100)
  UPSTREAM_RETRY_BUDGET_PERCENT = 20;

  /** Failures (share of calls, in percent) over the breaker's window that open it. */
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(100)
  UPSTREAM_BREAKER_FAILURE_PERCENT = 50;

  /** Calls the breaker must have seen in its window before it may open. */
  @Type(() => Number)
  @IsInt()
  @Min(1)
  UPSTREAM_BREAKER_MIN_CALLS = 10;

  /** Rolling window over which the breaker counts failures. */
  @Type(() => Number)
  @IsInt()
  @Min(100)
  UPSTREAM_BREAKER_WINDOW_MS = 10_000;

  /** How long an open breaker answers 503 before letting one trial call through. */
  @Type(() => Number)
  @IsInt()
  @Min(100)
  UPSTREAM_BREAKER_OPEN_MS = 5_000;

  /** Concurrent calls per upstream (bulkhead); beyond it requests are refused with 503. */
  @Type(() => Number)
  @IsInt()
  @Min(1)
  UPSTREAM_MAX_CONCURRENT = 512;

  /** Requests per window per authenticated user. */
  @Type(() => Number)
  @IsInt()
  @Min(1)
  RATE_LIMIT_PER_USER = 600;

  /** Requests per window per client IP. */
  @Type(() => Number)
  @IsInt()
  @Min(1)
  RATE_LIMIT_PER_IP = 1_200;

  @Type(() => Number)
  @IsInt()
  @Min(1)
  RATE_LIMIT_WINDOW_SECONDS = 60;

  /**
   * How long a request waits for its rate-limit check before passing unchecked (fail open):
   * a hung Redis must not add more than this to every request.
   */
  @Type(() => Number)
  @IsInt()
  @Min(5)
  RATE_LIMIT_REDIS_TIMEOUT_MS = 100;

  /** `METHOD /path=limit/windowSeconds` per client IP, stricter limits on sensitive routes. */
  @Transform(toList)
  @Matches(RATE_RULE_ENTRY, { each: true, message: 'each entry must look like "POST /api/v1/auth/login=10/60"' })
  RATE_LIMIT_ROUTES: string[] = [
    'POST /api/v1/auth/login=10/60',
    'POST /api/v1/auth/register=10/60',
    'POST /api/v1/auth/password-reset/request=5/300',
    'POST /api/v1/auth/password-reset/confirm=10/300',
  ];

  /** How long aggregated upstream OpenAPI documents are served before being fetched again. */
  @Type(() => Number)
  @IsInt()
  @Min(0)
  API_DOCS_CACHE_TTL_MS = 30_000;

  @IsString()
  API_DOCS_UPSTREAM_PATH = '/api-docs-json';
}
