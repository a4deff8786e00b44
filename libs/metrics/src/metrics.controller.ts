import { Controller, Get, Header, Res, SetMetadata } from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import { ApiExcludeController } from '@nestjs/swagger';
import { MetricsRegistry } from './metrics-registry.js';

/** Same key as `@Public()` in @dentalos/core, which builds on this library. */
export const METRICS_PUBLIC = SetMetadata('dentalos:isPublic', true);

@METRICS_PUBLIC
@ApiExcludeController()
@Controller('metrics')
export class MetricsController {
  constructor(private readonly metrics: MetricsRegistry) {}

  @Get()
  @Header('cache-control', 'no-store')
  async scrape(@Res() reply: FastifyReply): Promise<void> {
    const body = await this.metrics.render();
    await reply.type(this.metrics.contentType()).send(body);
  }
}
