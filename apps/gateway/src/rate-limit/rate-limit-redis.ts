import { Inject, Injectable, type OnApplicationShutdown, type Provider } from '@nestjs/common';
import { createRedisClient } from '@dentalos/database';
import type { Redis } from 'ioredis';
import { GatewayEnv } from '../config/gateway.env.js';

export const RATE_LIMIT_REDIS = Symbol('RATE_LIMIT_REDIS');

/**
 * A connection of the rate limiter's own, with auto-pipelining: every request runs one script,
 * and under load the checks issued in the same event-loop turn leave in one write instead of
 * one write each. Same fail-fast settings as every other client, with a tighter command timeout
 * (RATE_LIMIT_REDIS_TIMEOUT_MS) because every request waits for it.
 */
export const rateLimitRedisProvider: Provider = {
  provide: RATE_LIMIT_REDIS,
  inject: [GatewayEnv],
  useFactory: (env: GatewayEnv): Redis => {
    const client = createRedisClient(env, 'rate-limit');
    client.options.enableAutoPipelining = true;
    client.options.commandTimeout = env.RATE_LIMIT_REDIS_TIMEOUT_MS;
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
