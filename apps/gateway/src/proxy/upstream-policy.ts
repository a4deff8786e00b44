import {
  BulkheadPolicy,
  type CircuitStateName,
  CircuitBreakerPolicy,
  type ExecuteContext,
  type Policy,
  RetryBudget,
  RetryPolicy,
  TimeoutPolicy,
  bindResilienceMetrics,
  isRetryableError,
  wrapNamed,
} from '@dentalos/resilience';
import type { MetricsRegistry } from '@dentalos/metrics';
import type { GatewayEnv } from '../config/gateway.env.js';
import { isClientFault } from './proxy.errors.js';
import type { Exchange } from './upstream-exchange.js';
import type { UpstreamMetrics } from './upstream-metrics.js';

export type BreakerState = CircuitStateName;

/** One try against the upstream; must honour `ctx.signal` (per-try and route deadlines). */
export type Attempt = (ctx: ExecuteContext) => Promise<Exchange>;

/** How a request may be sent: retried (idempotent, no body), once, or once with a streamed body. */
export type ExchangeKind = 'retryable' | 'once' | 'streamed';

/**
 * The resilience stack of one upstream, from @dentalos/resilience, outermost first:
 * route deadline (retries and back-off included) → breaker → retry (full jitter, budget) →
 * bulkhead → per-try deadline. Each upstream has its own instances, so one failing service
 * opens only its own breaker and fills only its own bulkhead.
 *
 * The breaker sits outside the retries on purpose: calls it refuses never reach the retry
 * budget, so the budget is a share of the traffic that actually reached the upstream, and
 * retry traffic to a failing upstream stays within 1 + ratio of its first tries. A half-open
 * breaker's trial call is not retried: its one outcome decides whether the breaker closes, unless
 * it is the client's fault, which frees the trial slot for the next request.
 */
export class UpstreamPolicy {
  private readonly breaker: CircuitBreakerPolicy;
  private readonly bulkhead: BulkheadPolicy;
  private readonly pipelines: Record<ExchangeKind, Policy<unknown>>;
  private readonly attempts: Record<'primary' | 'retry', { inc: () => void }>;

  constructor(name: string, env: GatewayEnv, metrics: UpstreamMetrics, registry: MetricsRegistry) {
    this.breaker = new CircuitBreakerPolicy({
      name,
      window: { type: 'time', durationMs: env.UPSTREAM_BREAKER_WINDOW_MS },
      failureRateThreshold: env.UPSTREAM_BREAKER_FAILURE_PERCENT / 100,
      minimumCalls: env.UPSTREAM_BREAKER_MIN_CALLS,
      openDuration: env.UPSTREAM_BREAKER_OPEN_MS,
      halfOpenProbes: 1,
      // A client's oversized, stalled or abandoned body says nothing about the upstream's health,
      // either way: counted as a success, it would close a half-open breaker unproven.
      isIgnored: isClientFault,
    });
    this.bulkhead = new BulkheadPolicy({ name, maxConcurrent: env.UPSTREAM_MAX_CONCURRENT, maxQueue: 0 });
    const retry = new RetryPolicy({
      name,
      maxAttempts: env.UPSTREAM_RETRIES + 1,
      backoff: { type: 'exponential', initialDelayMs: env.UPSTREAM_RETRY_BASE_DELAY_MS, maxDelayMs: env.UPSTREAM_RETRY_BASE_DELAY_MS * 8, jitter: 'full' },
      budget: new RetryBudget({ ratio: env.UPSTREAM_RETRY_BUDGET_PERCENT / 100, minRetriesPerSecond: 1 }),
      retryOn: (error) => isRetryableError(error) && this.breaker.state !== 'half-open',
    });
    this.attempts = { primary: metrics.attempts.labels(name, 'primary'), retry: metrics.attempts.labels(name, 'retry') };
    const route = () => new TimeoutPolicy({ name, timeoutMs: env.UPSTREAM_ROUTE_TIMEOUT_MS, strategy: 'aggressive' });
    const perTry = () => new TimeoutPolicy({ name, timeoutMs: Math.min(env.UPSTREAM_TRY_TIMEOUT_MS, env.UPSTREAM_ROUTE_TIMEOUT_MS) });
    this.pipelines = {
      retryable: wrapNamed(name, route(), this.breaker, retry, this.bulkhead, perTry()),
      once: wrapNamed(name, route(), this.breaker, this.bulkhead, perTry()),
      // An upload may rightly take longer than one try; the route deadline bounds it.
      streamed: wrapNamed(name, route(), this.breaker, this.bulkhead),
    };
    for (const pipeline of Object.values(this.pipelines)) bindResilienceMetrics(pipeline, registry);
  }

  /** Runs `attempt` through the upstream's pipeline, counting each try that actually starts. */
  execute(kind: ExchangeKind, attempt: Attempt): Promise<Exchange> {
    return this.pipelines[kind].execute((ctx) => {
      this.attempts[ctx.attempt === 1 ? 'primary' : 'retry'].inc();
      return attempt(ctx);
    }) as Promise<Exchange>;
  }

  breakerState(): BreakerState {
    return this.breaker.state;
  }

  /** Attempts holding a bulkhead slot right now. */
  inFlight(): number {
    return this.bulkhead.active;
  }
}
