import { registerErrorTranslator } from '@dentalos/core';
import { upstreamProblem } from '../http/upstream-problem.js';
import { type DynamicModule, Global, Inject, Injectable, Module, type OnApplicationShutdown } from '@nestjs/common';
import { MetricsRegistry } from '@dentalos/metrics';
import { ResiliencePolicies, type ResilienceModuleOptions } from './resilience-policies.js';

export const RESILIENCE_OPTIONS = Symbol('RESILIENCE_OPTIONS');

export interface ResilienceModuleAsyncOptions {
  // Nest's own provider typing: tokens of any kind, a factory of any arity.
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  inject?: any[];
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  useFactory: (...args: any[]) => ResilienceModuleOptions | Promise<ResilienceModuleOptions>;
}

/** Closes the HTTP clients' keep-alive sockets when the app shuts down. */
@Injectable()
class ResilienceLifecycle implements OnApplicationShutdown {
  constructor(@Inject(ResiliencePolicies) private readonly policies: ResiliencePolicies) {}

  async onApplicationShutdown(): Promise<void> {
    await this.policies.close();
  }
}

/**
 * Named policies per dependency from the app's validated config, with their metrics on the
 * service's registry when `@dentalos/metrics` is loaded (PlatformModule loads it).
 */
@Global()
@Module({})
export class ResilienceModule {
  constructor() {
    // Refusals and timeouts of outbound calls answer 503/504 problems instead of unknown 500s.
    registerErrorTranslator(upstreamProblem);
  }

  static forRoot(options: ResilienceModuleOptions): DynamicModule {
    return ResilienceModule.forRootAsync({ useFactory: () => options });
  }

  static forRootAsync(options: ResilienceModuleAsyncOptions): DynamicModule {
    return {
      module: ResilienceModule,
      providers: [
        { provide: RESILIENCE_OPTIONS, useFactory: options.useFactory, inject: options.inject ?? [] },
        {
          provide: ResiliencePolicies,
          useFactory: (resolved: ResilienceModuleOptions, metrics?: MetricsRegistry) => new ResiliencePolicies(resolved, metrics),
          inject: [RESILIENCE_OPTIONS, { token: MetricsRegistry, optional: true }],
        },
        ResilienceLifecycle,
      ],
      exports: [ResiliencePolicies],
    };
  }
}
