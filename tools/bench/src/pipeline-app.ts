import 'reflect-metadata';
import { Get, Module } from '@nestjs/common';
import { ApiController, BaseEnv, bootstrap, PlatformModule, Public } from '@dentalos/core';

class BenchEnv extends BaseEnv {
  override PORT = 0;
}

@Public()
@ApiController('ping')
class PingController {
  @Get()
  ping() {
    return { status: 'ok', service: 'bench' };
  }
}

@Module({ imports: [PlatformModule.forRoot({ service: 'bench', config: BenchEnv })], controllers: [PingController] })
class BenchModule {}

// The full shared pipeline: Fastify, request ids, logging, metrics, helmet, validation, filters.
await bootstrap(BenchModule, { config: BenchEnv, title: 'bench' });
