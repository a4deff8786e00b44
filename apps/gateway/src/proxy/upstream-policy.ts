import type { Dispatcher } from 'undici';
import type { GatewayEnv } from '../config/gateway.env.js';
import type { UpstreamMetrics } from './upstream-metrics.js';

export type BreakerState = 'closed' | 'open' | 'half-open';

export type Exchange = Dispatcher.ResponseData;

/** One try against the upstream with its own deadline; rejects on network errors and timeouts. */
export type Attempt = (tryTimeoutMs: number) => Promise<Exchange>;

/** Responses worth another try on an idempotent request: the upstream (or its proxy) is unwell. */
export const RETRYABLE_STATUSES = new Set([502, 503, 504]);

/** What the proxy needs from the per-upstream resilience stack. */
export interface UpstreamPolicy {
  execute(attempt: Attempt, retryable: boolean): Promise<Exchange>;
  breakerState(): BreakerState;
}

/** Single attempt bounded by the route deadline. */
class SingleAttemptPolicy implements UpstreamPolicy {
  constructor(
    private readonly upstream: string,
    private readonly env: GatewayEnv,
    private readonly metrics: UpstreamMetrics,
  ) {}

  execute(attempt: Attempt): Promise<Exchange> {
    this.metrics.attempts.inc({ upstream: this.upstream, kind: 'primary' });
    return attempt(Math.min(this.env.UPSTREAM_TRY_TIMEOUT_MS, this.env.UPSTREAM_ROUTE_TIMEOUT_MS));
  }

  breakerState(): BreakerState {
    return 'closed';
  }
}

export function createUpstreamPolicy(upstream: string, env: GatewayEnv, metrics: UpstreamMetrics): UpstreamPolicy {
  return new SingleAttemptPolicy(upstream, env, metrics);
}
