import { Transform, Type } from 'class-transformer';
import { IsBoolean, IsIn, IsInt, IsString, IsUrl, Matches, Max, Min } from 'class-validator';

export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;

export const toBoolean = ({ value }: { value: unknown }): unknown =>
  value === 'true' ? true : value === 'false' ? false : value;

const IPV4 = String.raw`(?:(?:25[0-5]|2[0-4]\d|1?\d?\d)\.){3}(?:25[0-5]|2[0-4]\d|1?\d?\d)(?:\/(?:3[0-2]|[12]?\d))?`;
const IPV6 = String.raw`[0-9A-Fa-f:]*:[0-9A-Fa-f:.]*(?:\/(?:12[0-8]|1[01]\d|[1-9]?\d))?`;
const TRUSTED_PROXY_ENTRY = new RegExp(`^(?:loopback|linklocal|uniquelocal|${IPV4}|${IPV6})$`);

export const toList = ({ value }: { value: unknown }): unknown =>
  typeof value === 'string'
    ? value
        .split(',')
        .map((item) => item.trim())
        .filter(Boolean)
    : value;

/**
 * Settings every service has. Each app extends this class with its own variables and defaults;
 * the defaults are the local stack's, so `make up` needs no `.env`.
 */
export class BaseEnv {
  @IsString()
  HOST = '0.0.0.0';

  @Type(() => Number)
  @IsInt()
  @Min(0)
  @Max(65535)
  PORT: number;

  @IsIn(LOG_LEVELS)
  LOG_LEVEL: (typeof LOG_LEVELS)[number] = 'info';

  @Type(() => Number)
  @IsInt()
  @Min(1024)
  BODY_LIMIT_BYTES = 1_048_576;

  /**
   * Proxies whose X-Forwarded-* headers are believed, as addresses, CIDR ranges or the names
   * `loopback`, `linklocal` and `uniquelocal` (private ranges, e.g. a cluster's pod network). The
   * client address is the first one, from the nearest hop back, that is not a trusted proxy:
   * entries a client writes itself lie further back and never pick it, so per-address rate limits
   * and session records cannot be steered. Empty trusts no forwarded header. Hop counts are not
   * offered: they cannot tell a proxy from a client connecting directly.
   */
  @Transform(toList)
  @Matches(TRUSTED_PROXY_ENTRY, { each: true, message: 'each entry must be an IP address, a CIDR range, loopback, linklocal or uniquelocal' })
  TRUSTED_PROXIES: string[] = [];

  /** Comma-separated allowed origins; empty disables CORS. */
  @Transform(toList)
  @IsString({ each: true })
  CORS_ORIGINS: string[] = [];

  /** How long readiness answers 503 while the listener still serves, so load balancers drain. */
  @Type(() => Number)
  @IsInt()
  @Min(0)
  SHUTDOWN_DRAIN_MS = 1_000;

  /** Upper bound for finishing in-flight requests and closing connections after draining. */
  @Type(() => Number)
  @IsInt()
  @Min(100)
  SHUTDOWN_TIMEOUT_MS = 10_000;

  /** Whole-request deadline enforced by the HTTP server (slow clients included). */
  @Type(() => Number)
  @IsInt()
  @Min(100)
  REQUEST_TIMEOUT_MS = 30_000;

  @Type(() => Number)
  @IsInt()
  @Min(100)
  KEEP_ALIVE_TIMEOUT_MS = 65_000;

  /** Where the user service publishes its signing keys; every service verifies tokens itself. */
  @IsUrl({ require_tld: false, protocols: ['http', 'https'] })
  JWKS_URL = 'http://127.0.0.1:3002/.well-known/jwks.json';

  @IsString()
  JWT_ISSUER = 'dentalos-user';

  @IsString()
  JWT_AUDIENCE = 'dentalos-api';
}

/** Services that use Redis (caches, rate limits, queues, streams). */
export class RedisEnv extends BaseEnv {
  @IsString()
  REDIS_URL = 'redis://127.0.0.1:6379';

  /** Prefix for every key this service writes; tests use it to isolate themselves. */
  @IsString()
  REDIS_KEY_PREFIX = '';

  @Type(() => Number)
  @IsInt()
  @Min(10)
  REDIS_COMMAND_TIMEOUT_MS = 500;

  /**
   * Namespace before shared event stream names (`events.user`…). Streams are read by other
   * services, so they never take REDIS_KEY_PREFIX; empty in deployments, set by tests to isolate.
   */
  @IsString()
  EVENT_STREAM_PREFIX = '';
}

/** Services that own a MongoDB database as well. */
export class DataEnv extends RedisEnv {
  @IsString()
  MONGODB_URI: string;

  @Type(() => Number)
  @IsInt()
  @Min(100)
  MONGODB_SERVER_SELECTION_TIMEOUT_MS = 2_000;

  /** Create declared indexes at start-up; production runs the explicit index sync instead. */
  @Transform(toBoolean)
  @IsBoolean()
  MONGODB_SYNC_INDEXES = true;
}
