import { Logger } from '@nestjs/common';
import { AppError, sendProblem } from '@dentalos/core';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { EdgeGuard } from '../edge/edge-guard.js';
import type { RouteTable } from '../routing/route-table.js';
import type { ProxyService } from './proxy.service.js';
import type { UpstreamRegistry } from './upstream-registry.js';

export interface ProxyPluginDeps {
  routes: RouteTable;
  upstreams: UpstreamRegistry;
  proxy: ProxyService;
  guard: EdgeGuard;
}

/**
 * The proxied routes, registered on Fastify directly: one wildcard route per owned path segment,
 * so unknown segments fall through to the platform's 404 problem and route labels stay bounded.
 * Inside this plugin only, bodies are not parsed: the raw request stream goes upstream.
 */
const quiet = { error: () => undefined };

export function proxyPlugin({ routes, upstreams, proxy, guard }: ProxyPluginDeps) {
  const logger = new Logger('Proxy');
  return async (instance: FastifyInstance): Promise<void> => {
    instance.removeAllContentTypeParsers();
    instance.addContentTypeParser('*', (_request, _payload, done) => done(null));
    // Answers the gateway produces on purpose (401, 429, breaker open, upstream timeout...) are
    // counted in metrics; logging each one at error level would flood the logs in an outage.
    instance.setErrorHandler((error, request, reply) => sendProblem(error, request, reply, error instanceof AppError ? quiet : logger));
    instance.addHook('onRequest', (request, reply) => guard.admit(request, reply));

    const routeTo = (name: string) => {
      const upstream = upstreams.get(name);
      return (request: FastifyRequest, reply: FastifyReply) => proxy.forward(request, reply, upstream);
    };
    for (const [segment, name] of routes.segments) {
      const handler = routeTo(name);
      instance.all(`/api/v1/${segment}`, handler);
      instance.all(`/api/v1/${segment}/*`, handler);
    }
    for (const [path, name] of routes.exactPaths) instance.all(path, routeTo(name));
  };
}
