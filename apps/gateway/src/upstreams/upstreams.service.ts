import { Injectable } from '@nestjs/common';
import { UpstreamRegistry } from '../proxy/upstream-registry.js';
import { RouteTable } from '../routing/route-table.js';
import type { UpstreamsDto } from './dto/upstream-status.dto.js';

/**
 * Breaker state per upstream for operators; dashboards read the same states from the
 * `resilience_circuit_state{policy="<upstream>"}` gauge the resilience library exports.
 */
@Injectable()
export class UpstreamsService {
  constructor(
    private readonly upstreams: UpstreamRegistry,
    private readonly routes: RouteTable,
  ) {}

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
