import { type DynamicModule, Global, Module } from '@nestjs/common';
import { APP_FILTER } from '@nestjs/core';
import { MetricsModule } from '@dentalos/metrics';
import type { BaseEnv } from './config/base.env.js';
import type { EnvClass } from './config/config.loader.js';
import { ConfigModule } from './config/config.module.js';
import { ProblemFilter } from './errors/problem.filter.js';
import { OneShotCommands } from './lifecycle/one-shot-commands.js';
import { ShutdownState } from './lifecycle/shutdown-state.js';
import { LoggingModule } from './logging/logging.module.js';

export interface PlatformOptions<T extends BaseEnv> {
  /** Short service name: the `service` label on metrics and the `service` field in logs. */
  service: string;
  config: EnvClass<T>;
}

/** What every service imports first: config, logging, metrics, problem rendering, lifecycle. */
@Global()
@Module({})
export class PlatformModule {
  static forRoot<T extends BaseEnv>(options: PlatformOptions<T>): DynamicModule {
    return {
      module: PlatformModule,
      imports: [
        ConfigModule.forRoot(options.config),
        LoggingModule.forRoot(options.service),
        MetricsModule.forRoot({ service: options.service }),
      ],
      providers: [ShutdownState, OneShotCommands, { provide: APP_FILTER, useClass: ProblemFilter }],
      exports: [ShutdownState, OneShotCommands],
    };
  }
}
