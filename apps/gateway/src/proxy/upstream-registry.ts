import { Injectable, type OnApplicationShutdown } from '@nestjs/common';
import { MetricsRegistry } from '@dentalos/metrics';
import { Pool } from 'undici';
import { GatewayEnv } from '../config/gateway.env.js';
import { RouteTable } from '../routing/route-table.js';
import { UpstreamMetrics } from './upstream-metrics.js';
import { UpstreamPolicy } from './upstream-policy.js';

export interface Upstream {
  name: string;
  origin: string;
  /** Kept-alive connections of this upstream only: a slow upstream cannot take others' sockets. */
  pool: Pool;
  policy: UpstreamPolicy;
}

/** One pool and one resilience policy per upstream, built once from the route table. */
@Injectable()
export class UpstreamRegistry implements OnApplicationShutdown {
  private readonly upstreams = new Map<string, Upstream>();

  constructor(routes: RouteTable, env: GatewayEnv, metrics: UpstreamMetrics, registry: MetricsRegistry) {
    for (const { name, origin } of routes.upstreams.values()) {
      const pool = new Pool(origin, {
        connections: env.UPSTREAM_CONNECTIONS,
        keepAliveTimeout: 30_000,
        connect: { timeout: Math.min(env.UPSTREAM_TRY_TIMEOUT_MS, 2_000) },
      });
      this.upstreams.set(name, { name, origin, pool, policy: new UpstreamPolicy(name, env, metrics, registry) });
    }
    // Read at scrape time from each bulkhead, which counts the same calls: nothing per request.
    registry.businessGauge({
      name: 'gateway_upstream_requests_in_flight',
      help: 'Attempts in flight per upstream (occupied bulkhead slots)',
      labelNames: ['upstream'],
      collect: (gauge) => {
        for (const upstream of this.upstreams.values()) gauge.set({ upstream: upstream.name }, upstream.policy.inFlight());
      },
    });
  }

  get(name: string): Upstream {
    return this.upstreams.get(name)!;
  }

  all(): Upstream[] {
    return [...this.upstreams.values()];
  }

  async onApplicationShutdown(): Promise<void> {
    await Promise.all(this.all().map((upstream) => upstream.pool.close().catch(() => upstream.pool.destroy())));
  }
}
