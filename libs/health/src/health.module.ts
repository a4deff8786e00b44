import { type DynamicModule, Module, type Provider } from '@nestjs/common';
import { TerminusModule } from '@nestjs/terminus';
import { HealthController } from './health.controller.js';
import { HEALTH_OPTIONS, type HealthOptions } from './health.options.js';
import { RedisHealthIndicator } from './redis.health.js';

@Module({})
export class HealthModule {
  static forRoot(options: HealthOptions = {}): DynamicModule {
    const providers: Provider[] = [{ provide: HEALTH_OPTIONS, useValue: { timeoutMs: 1_000, ...options } }];
    if (options.redis) providers.push(RedisHealthIndicator);
    return {
      module: HealthModule,
      imports: [TerminusModule.forRoot({ logger: false })],
      controllers: [HealthController],
      providers,
    };
  }
}
