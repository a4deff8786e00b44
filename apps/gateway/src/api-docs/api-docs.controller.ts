import { Controller, Get, Param, Req } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import { Public } from '@dentalos/core';
import type { FastifyRequest } from 'fastify';
import { type OpenApiDocument, SpecAggregator } from './spec-aggregator.service.js';

/** The upstream documents listed by the gateway's Swagger UI. */
@Public()
@ApiExcludeController()
@Controller('api-docs/specs')
export class ApiDocsController {
  constructor(private readonly specs: SpecAggregator) {}

  @Get(':service')
  spec(@Param('service') service: string, @Req() request: FastifyRequest): Promise<OpenApiDocument> {
    return this.specs.document(service, `${request.protocol}://${request.host}`);
  }
}
