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
    // its whole request) is answered 408 and disconnected. Node looks for such clients every 30 s
    // by default; every second (a quarter of a short header deadline) keeps cut-offs on time.
    fastify.server.headersTimeout = env.GATEWAY_HEADERS_TIMEOUT_MS;
    // Read when the server starts listening; @types/node only knows it as a createServer option.
    (fastify.server as typeof fastify.server & { connectionsCheckingInterval: number }).connectionsCheckingInterval = Math.min(
      1_000,
      Math.ceil(env.GATEWAY_HEADERS_TIMEOUT_MS / 4),
    );
    answerClientErrorsAsProblems(fastify.server);
    installAggregatedSwaggerUi(fastify, app.get(SpecAggregator).services());
    await fastify.register(
      proxyPlugin({ routes: app.get(RouteTable), upstreams: app.get(UpstreamRegistry), proxy: app.get(ProxyService), guard: app.get(EdgeGuard) }),
    );
  },
};
