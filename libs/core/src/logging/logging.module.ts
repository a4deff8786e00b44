import { type DynamicModule, Module } from '@nestjs/common';
import { LoggerModule } from 'nestjs-pino';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { BaseEnv } from '../config/base.env.js';
import { redactSecrets } from './redaction.js';

/** Probes and scrapes would drown real traffic in the request log. */
const OPERATIONAL_PATH = /^\/(health\/|metrics(\?|$))/;

type LoggedRequest = IncomingMessage & { id?: string };

@Module({})
export class LoggingModule {
  static forRoot(service: string): DynamicModule {
    return {
      module: LoggingModule,
      imports: [
        LoggerModule.forRootAsync({
          inject: [BaseEnv],
          useFactory: (env: BaseEnv) => ({
            pinoHttp: {
              level: env.LOG_LEVEL,
              base: { service },
              formatters: { log: redactSecrets },
              autoLogging: { ignore: (request: IncomingMessage) => OPERATIONAL_PATH.test(request.url ?? '') },
              customProps: (request: IncomingMessage) => ({
                requestId: (request as LoggedRequest).id,
                traceparent: request.headers.traceparent,
              }),
              customLogLevel: (_request: IncomingMessage, response: ServerResponse, error?: Error) =>
                error || response.statusCode >= 500 ? 'error' : response.statusCode >= 400 ? 'warn' : 'info',
              // Only what an operator needs: headers (tokens, cookies) and bodies stay out.
              serializers: {
                req: (request: LoggedRequest) => ({ method: request.method, url: request.url }),
                res: (response: ServerResponse) => ({ statusCode: response.statusCode }),
              },
            },
          }),
        }),
      ],
    };
  }
}
