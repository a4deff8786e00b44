import { RedisEnv } from '@dentalos/core';

/** Every variable the gateway reads; defaults are the local stack's. */
export class GatewayEnv extends RedisEnv {
  override PORT = 3000;
  override REDIS_KEY_PREFIX = 'gateway:';
}
