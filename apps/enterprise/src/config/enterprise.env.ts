import { DataEnv } from '@dentalos/core';
import { Type } from 'class-transformer';
import { IsInt, Max, Min } from 'class-validator';

/** Every variable the enterprise service reads; defaults are the local stack's. */
export class EnterpriseEnv extends DataEnv {
  override PORT = 3017;
  override MONGODB_URI = 'mongodb://127.0.0.1:27017/enterprise';
  override REDIS_KEY_PREFIX = 'enterprise:';

  /** Compiled RBAC policies kept per process (user + org + policy version). */
  @Type(() => Number)
  @IsInt()
  @Min(0)
  RBAC_LOCAL_CACHE_SIZE = 50_000;

  /**
   * Lifetime of a compiled policy in Redis. Correctness never depends on it (keys carry the
   * policy version); it only bounds memory for versions nobody asks for any more.
   */
  @Type(() => Number)
  @IsInt()
  @Min(1)
  RBAC_REDIS_TTL_SECONDS = 600;

  /**
   * How many days ahead of the later start two open-ended schedules are compared. Weekly slots
   * and yearly DST rules repeat, so two years covers every combination the rules can produce.
   */
  @Type(() => Number)
  @IsInt()
  @Min(14)
  @Max(3_660)
  SCHEDULE_HORIZON_DAYS = 800;

  /**
   * Lifetime of cached organization heads and clinics in Redis (0 disables the read cache, its
   * in-process copies included). Writers refresh entries on every change; the TTL only bounds
   * staleness after a Redis partition.
   */
  @Type(() => Number)
  @IsInt()
  @Min(0)
  READ_CACHE_TTL_MS = 5_000;
}
