import type { Socket } from 'node:net';
import type { HttpMetrics } from '@dentalos/metrics';
import type { FastifyInstance, FastifyReply, FastifyRequest, HookHandlerDoneFunction, RouteOptions } from 'fastify';
import type { ShutdownState } from '../lifecycle/shutdown-state.js';
import type { RequestLog } from '../logging/request-log.js';
import { assertNoOperatorKeys } from '../validation/operator-keys.js';
import { REQUEST_ID_HEADER } from './request-id.js';
import { API_SECURITY_HEADER_OPTIONS, SECURITY_HEADER_OPTIONS, securityHeaders } from './security-headers.js';

export const DOCS_PATH = '/api-docs';

export interface RequestObservers {
  shutdown: ShutdownState;
  metrics: HttpMetrics;
  log: RequestLog;
}

const OPEN_REQUESTS = Symbol('dentalos.openRequests');
type TrackedSocket = Socket & { [OPEN_REQUESTS]?: Set<FastifyRequest> };

/**
 * A request whose response never finished when its connection closed was abandoned by the client.
 * Watched per connection, not per request: Fastify's onRequestAbort hook adds a close listener to
 * every request, one of the larger costs of a trivial request when this pipeline was profiled.
 */
function watchForAbort(request: FastifyRequest, onAborted: (request: FastifyRequest) => void): void {
  const socket = request.raw.socket as TrackedSocket | null;
  if (!socket) return;
  let open = socket[OPEN_REQUESTS];
  if (!open) {
    const requests = new Set<FastifyRequest>();
    socket.once('close', () => {
      for (const abandoned of requests) onAborted(abandoned);
      requests.clear();
    });
    socket[OPEN_REQUESTS] = open = requests;
  }
  open.add(request);
}

function stopWatching(request: FastifyRequest): void {
  (request.raw.socket as TrackedSocket | null)?.[OPEN_REQUESTS]?.delete(request);
}

const BODILESS_METHODS = new Set(['GET', 'HEAD']);

function rejectOperatorKeys(request: FastifyRequest, _reply: FastifyReply, done: HookHandlerDoneFunction): void {
  try {
    if (request.body !== undefined) assertNoOperatorKeys(request.body);
    done();
  } catch (error) {
    done(error as Error);
  }
}

/** Only routes that can receive a body pay for the body check. */
function checkBodiesOnRoutesWithBodies(route: RouteOptions): void {
  if ([route.method].flat().every((method) => BODILESS_METHODS.has(method))) return;
  route.preValidation = [rejectOperatorKeys, ...[route.preValidation ?? []].flat()];
}

/**
 * The platform's per-request work, one callback hook per stage: every hook a route has costs a
 * pass through Fastify's hook runner, and an async hook a promise, on every request.
 */
export function installRequestHooks(fastify: FastifyInstance, { shutdown, metrics, log }: RequestObservers): void {
  const apiHeaders = securityHeaders(API_SECURITY_HEADER_OPTIONS);
  const pageHeaders = securityHeaders(SECURITY_HEADER_OPTIONS);
  const aborted = (request: FastifyRequest) => {
    metrics.aborted();
    log.aborted(request);
  };
  fastify.addHook('onRequest', (request: FastifyRequest, reply: FastifyReply, done: HookHandlerDoneFunction) => {
    reply.headers(request.url.startsWith(DOCS_PATH) ? pageHeaders : apiHeaders).header(REQUEST_ID_HEADER, request.id);
    // While draining, every answer asks the client to reconnect, so kept-alive sockets end with
    // it instead of holding the shutdown open (idle ones are closed by shutDownGracefully).
    if (shutdown.draining) reply.header('connection', 'close');
    metrics.started();
    watchForAbort(request, aborted);
    done();
  });
  fastify.addHook('onResponse', (request: FastifyRequest, reply: FastifyReply, done: HookHandlerDoneFunction) => {
    stopWatching(request);
    metrics.finished(request, reply);
    log.completed(request, reply);
    done();
  });
  fastify.addHook('onRoute', checkBodiesOnRoutesWithBodies);
}
