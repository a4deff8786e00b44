import { type DynamicModule, Module } from '@nestjs/common';
import { LoggerModule } from 'nestjs-pino';
import { BaseEnv } from '../config/base.env.js';
import { logDestination } from './log-destination.js';
import { redactSecrets } from './redaction.js';

/**
 * One pino logger per process: Nest's own logs go through nestjs-pino's Logger, and each request
 * is logged once by a Fastify hook (see request-log.ts). nestjs-pino's per-request middleware is
 * left off: it puts every request in an AsyncLocalStorage context, and Node's promise hooks behind
 * it tax every promise of the process. Logs written while handling a request name its id
 * themselves (e.g. ProblemFilter).
 */
@Module({})
export class LoggingModule {
  static forRoot(service: string): DynamicModule {
    return {
      module: LoggingModule,
      imports: [
        LoggerModule.forRootAsync({
          inject: [BaseEnv],
          useFactory: (env: BaseEnv) => ({
            forRoutes: [],
            pinoHttp: [
              {
                level: env.LOG_LEVEL,
                base: { service },
                formatters: { log: redactSecrets },
                // Only what an operator needs: headers (tokens, cookies) and bodies stay out, even
                // when a raw request or response is logged.
                serializers: {
                  req: (request: { method?: string; url?: string }) => ({ method: request.method, url: request.url }),
                  res: (response: { statusCode?: number }) => ({ statusCode: response.statusCode }),
                },
              },
              logDestination(),
            ],
          }),
        }),
      ],
    };
  }
}
