import { Injectable } from '@nestjs/common';
import { MetricsRegistry } from '@dentalos/metrics';
import { UpstreamRegistry } from '../proxy/upstream-registry.js';
import type { BreakerState } from '../proxy/upstream-policy.js';
import { RouteTable } from '../routing/route-table.js';
import type { UpstreamsDto } from './dto/upstream-status.dto.js';

const STATE_VALUE: Record<BreakerState, number> = { closed: 0, 'half-open': 1, open: 2 };

/** Breaker state per upstream, for operators (endpoint) and dashboards (gauge read at scrape). */
@Injectable()
export class UpstreamsService {
  constructor(
    private readonly upstreams: UpstreamRegistry,
    private readonly routes: RouteTable,
    metrics: MetricsRegistry,
  ) {
    metrics.businessGauge({
      name: 'gateway_upstream_breaker_state',
      help: 'Circuit breaker state per upstream: 0 closed, 1 half-open, 2 open',
      labelNames: ['upstream'],
      collect: (gauge) => {
        for (const upstream of this.upstreams.all()) gauge.set({ upstream: upstream.name }, STATE_VALUE[upstream.policy.breakerState()]);
      },
    });
  }

  list(): UpstreamsDto {
    const segments = [...this.routes.segments];
    return {
      upstreams: this.upstreams.all().map((upstream) => ({
        name: upstream.name,
        breaker: upstream.policy.breakerState(),
        segments: segments.filter(([, name]) => name === upstream.name).map(([segment]) => segment),
      })),
    };
  }
}
