import { Module } from '@nestjs/common';
import { AuthModule } from '@dentalos/auth';
import { PlatformModule } from '@dentalos/core';
import { RedisModule } from '@dentalos/database';
import { HealthModule } from '@dentalos/health';
import { ApiDocsController } from './api-docs/api-docs.controller.js';
import { SpecAggregator } from './api-docs/spec-aggregator.service.js';
import { GatewayEnv } from './config/gateway.env.js';
import { EdgeGuard } from './edge/edge-guard.js';
import { ProxyService } from './proxy/proxy.service.js';
import { UpstreamMetrics } from './proxy/upstream-metrics.js';
import { UpstreamRegistry } from './proxy/upstream-registry.js';
import { RateLimitRedisLifecycle, rateLimitRedisProvider } from './rate-limit/rate-limit-redis.js';
import { RateLimiter } from './rate-limit/rate-limiter.service.js';
import { PublicRoutes } from './routing/public-routes.js';
import { RouteTable } from './routing/route-table.js';
import { UpstreamsController } from './upstreams/upstreams.controller.js';
import { UpstreamsService } from './upstreams/upstreams.service.js';

@Module({
  imports: [
    PlatformModule.forRoot({ service: 'gateway', config: GatewayEnv }),
    RedisModule,
    AuthModule.forRoot(),
    // Readiness is the gateway and Redis only: one upstream down is partial availability, not
    // a reason to take every route out of the load balancer.
    HealthModule.forRoot({ redis: true }),
  ],
  controllers: [UpstreamsController, ApiDocsController],
  providers: [
    RouteTable,
    PublicRoutes,
    rateLimitRedisProvider,
    RateLimitRedisLifecycle,
    RateLimiter,
    EdgeGuard,
    UpstreamMetrics,
    UpstreamRegistry,
    ProxyService,
    UpstreamsService,
    SpecAggregator,
  ],
})
export class AppModule {}
