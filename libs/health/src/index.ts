export { HealthController } from './health.controller.js';
export { HealthModule } from './health.module.js';
export { HEALTH_OPTIONS, type HealthOptions } from './health.options.js';
export { RedisHealthIndicator, withTimeout } from './redis.health.js';
