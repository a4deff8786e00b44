import type { FastifyReply, FastifyRequest } from 'fastify';
import pino, { type Level, type Logger } from 'pino';
import { logDestination } from './log-destination.js';
import { redactUrl } from './redaction.js';

/** Probes and scrapes would drown real traffic in the request log. */
const OPERATIONAL_PATH = /^\/(health\/|metrics(\?|$))/;

function levelFor(statusCode: number): Level {
  return statusCode >= 500 ? 'error' : statusCode >= 400 ? 'warn' : 'info';
}

/**
 * The request log's own logger, beside the application's: same destination, level and service,
 * but without the secret-redacting formatter, whose walk over every line is wasted on these
 * fields (the URL's secret query parameters are redacted here).
 */
function requestLogger(application: Logger): Logger {
  return pino({ level: application.level, base: application.bindings() }, logDestination());
}

/**
 * One line per request, written after the response left, or when the client went away before it.
 * Flat fields: the application logger's `req`/`res` serializers expect Node's raw objects.
 */
export class RequestLog {
  private readonly logger: Logger;

  constructor(application: Logger) {
    this.logger = requestLogger(application);
  }

  completed(request: FastifyRequest, reply: FastifyReply): void {
    const level = levelFor(reply.statusCode);
    if (!this.logger.isLevelEnabled(level) || OPERATIONAL_PATH.test(request.url)) return;
    this.logger[level](
      {
        requestId: request.id,
        traceparent: request.headers.traceparent,
        method: request.method,
        url: redactUrl(request.url),
        statusCode: reply.statusCode,
        responseTime: Math.round(reply.elapsedTime),
      },
      'request completed',
    );
  }

  aborted(request: FastifyRequest): void {
    if (!this.logger.isLevelEnabled('warn')) return;
    this.logger.warn({ requestId: request.id, traceparent: request.headers.traceparent, method: request.method, url: redactUrl(request.url) }, 'request aborted');
  }
}
