/**
 * @dentalos/resilience — retry, circuit breaker, timeout, bulkhead and fallback with one calling
 * convention, `policy.execute((ctx) => fn(ctx.signal), signal?)`, composable with `wrap(...)`.
 *
 *   const pipeline = wrap(
 *     new TimeoutPolicy({ timeoutMs: 5_000 }),
 *     new RetryPolicy({ maxAttempts: 3 }),
 *     new CircuitBreakerPolicy({ window: { type: 'time', durationMs: 30_000 } }),
 *     new BulkheadPolicy({ maxConcurrent: 32, maxQueue: 64 }),
 *   );
 *   const user = await pipeline.execute(({ signal }) => loadUser(id, signal), request.signal);
 *
 * Outbound HTTP goes through {@link ResilientHttpClient}; apps get named policies per dependency
 * from {@link ResilienceModule}. See README.md for semantics and measured figures.
 */

// Calling convention and composition
export type { ExecuteContext } from './core/context.js';
export type { Operation, Policy } from './core/policy.js';
export { type AlternativeOf, WrappedPolicy, wrap, wrapNamed, outcomeOf } from './policies/wrap.js';

// Policies
export { RetryPolicy, type RetryOptions } from './policies/retry.policy.js';
export { RetryBudget, type RetryBudgetOptions } from './core/retry-budget.js';
export { Backoff, type BackoffOptions, JITTERS, type Jitter } from './core/backoff.js';
export { CircuitBreakerPolicy } from './policies/circuit-breaker.policy.js';
export type { BreakerSnapshot, BreakerWindow, CircuitBreakerOptions } from './policies/circuit-breaker.options.js';
export { TimeoutPolicy, type TimeoutOptions } from './policies/timeout.policy.js';
export { BulkheadPolicy, type BulkheadOptions } from './policies/bulkhead.policy.js';
export { FallbackPolicy, type FallbackOptions } from './policies/fallback.policy.js';

// Errors and predicates
export {
  BrokenCircuitError,
  BulkheadRejectedError,
  InvalidPolicyOptionError,
  ResilienceError,
  RetriesExhaustedError,
  TimeoutError,
} from './core/resilience.errors.js';
export { RETRYABLE_NETWORK_CODES, RETRYABLE_STATUSES, isRetryableError, retryAfterOf } from './core/retryable.js';
export { parseRetryAfter } from './core/retry-after.js';

// Events, metrics, clock
export { type CircuitStateName, PolicyEvents, type ResilienceEvents, type ResilienceEventType } from './core/events.js';
export { type MetricsTarget, bindResilienceMetrics } from './metrics/resilience-metrics.js';
export { type Clock, type TimerHandle, systemClock } from './core/clock.js';
export { FakeClock } from './core/fake-clock.js';

// HTTP and NestJS
export { HttpStatusError } from './http/http-status.error.js';
export { upstreamProblem } from './http/upstream-problem.js';
export { type HttpRequest, type HttpResponse, ResilientHttpClient, type ResilientHttpClientOptions } from './http/resilient-http-client.js';
export { type DependencyConfig, buildDependency } from './nest/dependency-policies.js';
export { ResiliencePolicies, type ResilienceModuleOptions } from './nest/resilience-policies.js';
export { RESILIENCE_OPTIONS, ResilienceModule, type ResilienceModuleAsyncOptions } from './nest/resilience.module.js';
