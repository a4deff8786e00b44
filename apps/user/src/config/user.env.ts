import { Transform, Type } from 'class-transformer';
import { IsInt, Matches, Max, Min } from 'class-validator';
import { DataEnv } from '@dentalos/core';
import { availableParallelism } from 'node:os';
import { IsSigningKeySet, parseSigningKeys, type SigningKeyConfig } from './signing-keys.js';

/** Every variable the user service reads; defaults are the local stack's. */
export class UserEnv extends DataEnv {
  override PORT = 3002;
  override MONGODB_URI = 'mongodb://127.0.0.1:27017/user';
  override REDIS_KEY_PREFIX = 'user:';

  /**
   * Required. JSON array of `{ kid, privateKeyPem, status: active|next|previous }`, exactly one
   * active. Comes from a secret, never from the repository. Rotation: add `next`, roll out, promote
   * it to `active` and the old one to `previous`, roll out, drop `previous` after the token TTL.
   */
  @Transform(parseSigningKeys)
  @IsSigningKeySet()
  JWT_SIGNING_KEYS: SigningKeyConfig[];

  /** Required. 32 random bytes, base64; seals link tokens inside events for the notification service. */
  @Matches(/^[A-Za-z0-9+/]{43}=$/, { message: 'EVENT_SEALING_KEY must be 32 random bytes, base64-encoded' })
  EVENT_SEALING_KEY: string;

  /** Access token lifetime; the platform contract caps it at 10 minutes. */
  @Type(() => Number)
  @IsInt()
  @Min(30)
  @Max(600)
  ACCESS_TOKEN_TTL_SECONDS = 600;

  /** Idle lifetime of a device session: each refresh extends it by this much. */
  @Type(() => Number)
  @IsInt()
  @Min(300)
  REFRESH_TOKEN_TTL_SECONDS = 30 * 24 * 3600;

  /** Argon2id memory in KiB (OWASP minimum profile: 19 MiB). */
  @Type(() => Number)
  @IsInt()
  @Min(8192)
  ARGON2_MEMORY_KIB = 19_456;

  @Type(() => Number)
  @IsInt()
  @Min(1)
  ARGON2_TIME_COST = 2;

  @Type(() => Number)
  @IsInt()
  @Min(1)
  ARGON2_PARALLELISM = 1;

  /**
   * Argon2 runs at most this many at once; the rest queue. Leaving a core to the event loop keeps
   * request latency flat during a login burst instead of letting the OS starve the main thread.
   */
  @Type(() => Number)
  @IsInt()
  @Min(1)
  ARGON2_CONCURRENCY = Math.max(1, availableParallelism() - 1);

  @Type(() => Number)
  @IsInt()
  @Min(600)
  EMAIL_VERIFICATION_TTL_SECONDS = 24 * 3600;

  /** Reset links live at most 20 minutes. */
  @Type(() => Number)
  @IsInt()
  @Min(60)
  @Max(1200)
  PASSWORD_RESET_TTL_SECONDS = 1200;

  /** Failed logins within the window that lock the account. */
  @Type(() => Number)
  @IsInt()
  @Min(1)
  LOCKOUT_THRESHOLD = 5;

  @Type(() => Number)
  @IsInt()
  @Min(1)
  LOCKOUT_WINDOW_SECONDS = 900;

  /** First lock duration; each further lock before a successful login doubles it. */
  @Type(() => Number)
  @IsInt()
  @Min(1)
  LOCKOUT_DURATION_SECONDS = 900;
}
