import { Inject, Injectable, type OnApplicationShutdown, type Provider } from '@nestjs/common';
import { RedisEnv } from '@dentalos/core';
import { createRedisClient } from '@dentalos/database';
import type { Redis } from 'ioredis';

export const RATE_LIMIT_REDIS = Symbol('RATE_LIMIT_REDIS');

/**
 * A connection of the rate limiter's own, with auto-pipelining: every request runs one script,
 * and under load the checks issued in the same event-loop turn leave in one write instead of
 * one write each. Same fail-fast settings as every other client.
 */
export const rateLimitRedisProvider: Provider = {
  provide: RATE_LIMIT_REDIS,
  inject: [RedisEnv],
  useFactory: (env: RedisEnv): Redis => {
    const client = createRedisClient(env, 'rate-limit');
    client.options.enableAutoPipelining = true;
    return client;
  },
};

@Injectable()
export class RateLimitRedisLifecycle implements OnApplicationShutdown {
  constructor(@Inject(RATE_LIMIT_REDIS) private readonly redis: Redis) {}

  async onApplicationShutdown(): Promise<void> {
    await this.redis.quit().catch(() => this.redis.disconnect());
  }
}
