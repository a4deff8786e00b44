import { type DynamicModule, Global, Module } from '@nestjs/common';
import { BaseEnv } from './base.env.js';
import { type EnvClass, loadConfig } from './config.loader.js';
import { currentConfigSource } from './config-source.js';

/**
 * Provides the app's validated env class as an injection token (inject the class itself), and
 * the base classes it extends, so shared libraries can read the settings they need.
 */
@Global()
@Module({})
export class ConfigModule {
  static forRoot<T extends BaseEnv>(envClass: EnvClass<T>): DynamicModule {
    const aliases: EnvClass<unknown>[] = [];
    for (let parent = Object.getPrototypeOf(envClass); parent && parent !== Function.prototype; parent = Object.getPrototypeOf(parent)) {
      aliases.push(parent);
    }
    return {
      module: ConfigModule,
      providers: [
        { provide: envClass, useFactory: () => loadConfig(envClass, currentConfigSource()) },
        ...aliases.map((alias) => ({ provide: alias, useExisting: envClass })),
      ],
      exports: [envClass, ...aliases],
    };
  }
}
