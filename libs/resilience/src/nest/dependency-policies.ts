import type { Clock } from '../core/clock.js';
import { InvalidPolicyOptionError } from '../core/resilience.errors.js';
import type { Policy } from '../core/policy.js';
import { type ResilientHttpClientOptions, ResilientHttpClient } from '../http/resilient-http-client.js';
import { BulkheadPolicy, type BulkheadOptions } from '../policies/bulkhead.policy.js';
import type { CircuitBreakerOptions } from '../policies/circuit-breaker.options.js';
import { CircuitBreakerPolicy } from '../policies/circuit-breaker.policy.js';
import { RetryPolicy, type RetryOptions } from '../policies/retry.policy.js';
import { TimeoutPolicy } from '../policies/timeout.policy.js';
import { WrappedPolicy } from '../policies/wrap.js';

/** Resilience settings of one dependency, as an app's config describes them. */
export interface DependencyConfig {
  /** An HTTP upstream: the dependency gets a {@link ResilientHttpClient}. */
  baseUrl?: string;
  /** Limit per attempt (default 2 s). */
  timeoutMs?: number;
  /** Limit per call, retries included (default 5 s). */
  deadlineMs?: number;
  retry?: Omit<RetryOptions, 'name' | 'clock'> | false;
  breaker?: Omit<CircuitBreakerOptions, 'name' | 'clock'> | false;
  bulkhead?: Omit<BulkheadOptions, 'name'> | false;
  /** HTTP only: keep-alive sockets per origin. */
  connections?: number;
}

export interface BuiltDependency {
  policy: Policy;
  breaker: CircuitBreakerPolicy | undefined;
  http: ResilientHttpClient | undefined;
}

/**
 * Builds one dependency's pipeline: deadline → retry → breaker → bulkhead → per-try timeout.
 * Option errors are re-thrown with the dependency's name in front, so a bad config names it.
 */
export function buildDependency(name: string, config: DependencyConfig, clock?: Clock): BuiltDependency {
  try {
    if (config.baseUrl !== undefined) {
      const options: ResilientHttpClientOptions = {
        name,
        baseUrl: config.baseUrl,
        perTryTimeoutMs: config.timeoutMs,
        deadlineMs: config.deadlineMs,
        retry: config.retry === false ? { maxAttempts: 1 } : config.retry,
        breaker: config.breaker,
        bulkhead: config.bulkhead === false ? { maxConcurrent: Number.MAX_SAFE_INTEGER } : config.bulkhead,
        connections: config.connections,
        clock,
      };
      const http = new ResilientHttpClient(options);
      return { policy: http.pipeline, breaker: http.breaker, http };
    }
    const breaker = config.breaker === false ? undefined : new CircuitBreakerPolicy({ window: { type: 'count', size: 20 }, minimumCalls: 10, ...config.breaker, name, clock });
    const chain: Policy<unknown>[] = [new TimeoutPolicy({ name, timeoutMs: config.deadlineMs ?? 5_000, clock, strategy: 'aggressive' })];
    if (config.retry !== false) chain.push(new RetryPolicy({ ...config.retry, name, clock }));
    if (breaker) chain.push(breaker);
    if (config.bulkhead !== false) chain.push(new BulkheadPolicy({ maxConcurrent: 64, maxQueue: 256, ...config.bulkhead, name }));
    chain.push(new TimeoutPolicy({ name, timeoutMs: config.timeoutMs ?? 2_000, clock }));
    return { policy: new WrappedPolicy(name, chain), breaker, http: undefined };
  } catch (error) {
    if (error instanceof InvalidPolicyOptionError) {
      throw new InvalidPolicyOptionError(`${name}.${error.option}`, error.message.slice(error.option.length + 1), undefined);
    }
    throw error;
  }
}
