import type { FastifyInstance, FastifyReply, FastifyRequest, HookHandlerDoneFunction } from 'fastify';
import type { Level, Logger } from 'pino';
import { redactUrl } from './redaction.js';

/** Probes and scrapes would drown real traffic in the request log. */
const OPERATIONAL_PATH = /^\/(health\/|metrics(\?|$))/;

function levelFor(statusCode: number): Level {
  return statusCode >= 500 ? 'error' : statusCode >= 400 ? 'warn' : 'info';
}

function requestFields(request: FastifyRequest) {
  return { requestId: request.id, traceparent: request.headers.traceparent, method: request.method, url: redactUrl(request.url) };
}

/**
 * One line per request, written after the response left. Flat fields: the logger's `req`/`res`
 * serializers expect Node's raw objects.
 */
export function installRequestLog(fastify: FastifyInstance, logger: Logger): void {
  fastify.addHook('onResponse', (request: FastifyRequest, reply: FastifyReply, done: HookHandlerDoneFunction) => {
    const level = levelFor(reply.statusCode);
    if (logger.isLevelEnabled(level) && !OPERATIONAL_PATH.test(request.url)) {
      logger[level](
        { ...requestFields(request), statusCode: reply.statusCode, responseTime: Math.round(reply.elapsedTime) },
        'request completed',
      );
    }
    done();
  });
  fastify.addHook('onRequestAbort', (request: FastifyRequest, done: HookHandlerDoneFunction) => {
    if (logger.isLevelEnabled('warn')) logger.warn(requestFields(request), 'request aborted');
    done();
  });
}
