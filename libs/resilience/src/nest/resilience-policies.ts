import type { MetricsTarget } from '../metrics/resilience-metrics.js';
import { bindResilienceMetrics } from '../metrics/resilience-metrics.js';
import type { Clock } from '../core/clock.js';
import type { Policy } from '../core/policy.js';
import type { ResilientHttpClient } from '../http/resilient-http-client.js';
import type { CircuitBreakerPolicy } from '../policies/circuit-breaker.policy.js';
import { type BuiltDependency, buildDependency, type DependencyConfig } from './dependency-policies.js';

export interface ResilienceModuleOptions {
  /** One entry per dependency, keyed by its name (the `policy` metric label). */
  dependencies: Record<string, DependencyConfig>;
  clock?: Clock;
}

/** The named policies of every configured dependency. Inject it where outbound calls are made. */
export class ResiliencePolicies {
  private readonly built = new Map<string, BuiltDependency>();

  constructor(options: ResilienceModuleOptions, metrics?: MetricsTarget) {
    for (const [name, config] of Object.entries(options.dependencies ?? {})) {
      const dependency = buildDependency(name, config ?? {}, options.clock);
      if (metrics) bindResilienceMetrics(dependency.policy, metrics);
      this.built.set(name, dependency);
    }
  }

  get names(): string[] {
    return [...this.built.keys()];
  }

  /** The pipeline for `name`: `policies.policy('user').execute(({ signal }) => call(signal))`. */
  policy(name: string): Policy {
    return this.get(name).policy;
  }

  /** The breaker of `name`, for isolate/reset from an admin endpoint or a health check. */
  breaker(name: string): CircuitBreakerPolicy | undefined {
    return this.get(name).breaker;
  }

  /** The HTTP client of an HTTP dependency (one configured with `baseUrl`). */
  http(name: string): ResilientHttpClient {
    const client = this.get(name).http;
    if (!client) throw new Error(`Dependency "${name}" has no baseUrl, so it has no HTTP client`);
    return client;
  }

  async close(): Promise<void> {
    await Promise.all([...this.built.values()].map((dependency) => dependency.http?.close()));
  }

  private get(name: string): BuiltDependency {
    const dependency = this.built.get(name);
    if (!dependency) throw new Error(`No resilience policy is configured for dependency "${name}"`);
    return dependency;
  }
}
