import { Global, Inject, Injectable, Logger, Module, type OnApplicationShutdown } from '@nestjs/common';
import { RedisEnv } from '@dentalos/core';
import { Redis } from 'ioredis';

/**
 * Redis is important but not critical: commands fail fast while it is away (no offline queue,
 * one retry, a short command timeout) so callers can take their degraded path at once.
 */
export function createRedisClient(env: RedisEnv, name: string): Redis {
  const logger = new Logger(`Redis:${name}`);
  const client = new Redis(env.REDIS_URL, {
    connectionName: name,
    keyPrefix: env.REDIS_KEY_PREFIX || undefined,
    enableOfflineQueue: false,
    maxRetriesPerRequest: 1,
    commandTimeout: env.REDIS_COMMAND_TIMEOUT_MS,
    connectTimeout: 2_000,
    retryStrategy: (attempt) => Math.min(100 * 2 ** attempt, 2_000),
  });
  let healthy = true;
  client.on('error', (error: Error) => {
    if (healthy) logger.warn(`unavailable: ${error.message}`);
    healthy = false;
  });
  client.on('ready', () => {
    if (!healthy) logger.log('available again');
    healthy = true;
  });
  return client;
}

@Injectable()
class RedisLifecycle implements OnApplicationShutdown {
  constructor(@Inject(Redis) private readonly redis: Redis) {}

  async onApplicationShutdown(): Promise<void> {
    await this.redis.quit().catch(() => this.redis.disconnect());
  }
}

/** Provides the shared ioredis client; inject it by its class: `constructor(redis: Redis)`. */
@Global()
@Module({
  providers: [
    { provide: Redis, inject: [RedisEnv], useFactory: (env: RedisEnv) => createRedisClient(env, 'main') },
    RedisLifecycle,
  ],
  exports: [Redis],
})
export class RedisModule {}
