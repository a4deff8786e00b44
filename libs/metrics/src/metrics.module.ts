import { type DynamicModule, Global, Module } from '@nestjs/common';
import { HttpMetrics } from './http-metrics.js';
import { MetricsController } from './metrics.controller.js';
import { MetricsRegistry } from './metrics-registry.js';

export interface MetricsModuleOptions {
  /** Value of the `service` label on every metric. */
  service: string;
}

@Global()
@Module({})
export class MetricsModule {
  static forRoot(options: MetricsModuleOptions): DynamicModule {
    return {
      module: MetricsModule,
      controllers: [MetricsController],
      providers: [
        { provide: MetricsRegistry, useFactory: () => new MetricsRegistry(options.service) },
        { provide: HttpMetrics, useFactory: (registry: MetricsRegistry) => new HttpMetrics(registry), inject: [MetricsRegistry] },
      ],
      exports: [MetricsRegistry, HttpMetrics],
    };
  }
}
