import { Controller, Get, HttpStatus, Inject, Optional, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import { HealthCheckService, type HealthIndicatorFunction, type HealthCheckResult, MongooseHealthIndicator } from '@nestjs/terminus';
import { Public, ShutdownState } from '@dentalos/core';
import type { FastifyReply } from 'fastify';
import { HEALTH_OPTIONS, type HealthOptions } from './health.options.js';
import { RedisHealthIndicator } from './redis.health.js';

@Public()
@ApiExcludeController()
@Controller('health')
export class HealthController {
  private readonly startedAt = Date.now();
  private readonly readinessChecks: HealthIndicatorFunction[] = [];

  constructor(
    private readonly health: HealthCheckService,
    private readonly shutdown: ShutdownState,
    @Inject(HEALTH_OPTIONS) options: HealthOptions,
    @Optional() mongo?: MongooseHealthIndicator,
    @Optional() redis?: RedisHealthIndicator,
  ) {
    const timeoutMs = options.timeoutMs ?? 1_000;
    if (options.mongo && mongo) this.readinessChecks.push(() => mongo.pingCheck('mongodb', { timeout: timeoutMs }));
    if (options.redis && redis) this.readinessChecks.push(() => redis.check('redis', timeoutMs));
  }

  /** Process only: a dependency outage must never make Kubernetes restart healthy pods. */
  @Get('liveness')
  liveness() {
    return { status: 'ok' };
  }

  @Get('startup')
  startup() {
    return { status: 'ok', uptimeSeconds: Math.round((Date.now() - this.startedAt) / 1000) };
  }

  @Get('readiness')
  async readiness(@Res({ passthrough: true }) reply: FastifyReply): Promise<HealthCheckResult | { status: string }> {
    if (this.shutdown.draining) {
      reply.status(HttpStatus.SERVICE_UNAVAILABLE);
      return { status: 'shutting_down' };
    }
    try {
      return await this.health.check(this.readinessChecks);
    } catch (error) {
      reply.status(HttpStatus.SERVICE_UNAVAILABLE);
      return (error as { getResponse?: () => HealthCheckResult }).getResponse?.() ?? { status: 'error' };
    }
  }
}
