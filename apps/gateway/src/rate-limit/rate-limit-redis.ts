import { Inject, Injectable, type OnApplicationShutdown, type Provider } from '@nestjs/common';
import { createRedisClient } from '@dentalos/database';
import type { Redis } from 'ioredis';
import { GatewayEnv } from '../config/gateway.env.js';

export const RATE_LIMIT_REDIS = Symbol('RATE_LIMIT_REDIS');

/**
 * A connection of the rate limiter's own: the limiter already sends the checks of one event-loop
 * turn as one script call, so ioredis's auto-pipelining would only add its bookkeeping. Same
 * fail-fast settings as every other client, with a tighter command timeout
 * (RATE_LIMIT_REDIS_TIMEOUT_MS) because every request waits for it.
 */
export const rateLimitRedisProvider: Provider = {
  provide: RATE_LIMIT_REDIS,
  inject: [GatewayEnv],
  useFactory: (env: GatewayEnv): Redis => {
    const client = createRedisClient(env, 'rate-limit');
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
