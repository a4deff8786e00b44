import type { BootstrapOptions } from '@dentalos/core';
import { installAggregatedSwaggerUi } from './api-docs/swagger-ui.js';
import { SpecAggregator } from './api-docs/spec-aggregator.service.js';
import { GatewayEnv } from './config/gateway.env.js';
import { answerClientErrorsAsProblems } from './edge/client-errors.js';
import { EdgeGuard } from './edge/edge-guard.js';
import { proxyPlugin } from './proxy/proxy.plugin.js';
import { ProxyService } from './proxy/proxy.service.js';
import { UpstreamRegistry } from './proxy/upstream-registry.js';
import { RouteTable } from './routing/route-table.js';

export const appOptions: BootstrapOptions<GatewayEnv> = {
  config: GatewayEnv,
  title: 'DentalOS API gateway',
  description: 'The one front door: routing, authentication, rate limits and per-upstream resilience.',
  configureFastify: async (fastify, app, env) => {
    // Slow-client protection: a client dribbling its header block (or, with REQUEST_TIMEOUT_MS,
    // its whole request) is answered 408 and disconnected, checked this often.
    fastify.server.headersTimeout = env.GATEWAY_HEADERS_TIMEOUT_MS;
    // Read when the server starts listening; @types/node only knows it as a createServer option.
    (fastify.server as typeof fastify.server & { connectionsCheckingInterval: number }).connectionsCheckingInterval = env.GATEWAY_CLIENT_TIMEOUT_CHECK_MS;
    answerClientErrorsAsProblems(fastify.server);
    installAggregatedSwaggerUi(fastify, app.get(SpecAggregator).services());
    await fastify.register(
      proxyPlugin({ routes: app.get(RouteTable), upstreams: app.get(UpstreamRegistry), proxy: app.get(ProxyService), guard: app.get(EdgeGuard) }),
    );
  },
};
