import { Injectable } from '@nestjs/common';
import { MetricsRegistry } from '@dentalos/metrics';
import { bindResilienceMetrics, CircuitBreakerPolicy } from '@dentalos/resilience';
import { NotificationEnv } from '../config/notification.env.js';
import { toProviderError } from './provider-error.js';

/**
 * The single seam every provider call passes through (SMTP, Twilio, FCM): one circuit breaker per
 * provider. Only transient failures count against it — a refused phone number says nothing about
 * the provider's health. While open, calls fail at once with BrokenCircuitError, which the worker
 * treats as transient: the delivery waits for its next backoff instead of hammering a dead provider.
 * Retries are not done here; BullMQ's delayed jobs are the retry policy (durable across restarts).
 */
@Injectable()
export class ProviderCalls {
  private readonly breakers = new Map<string, CircuitBreakerPolicy>();

  constructor(
    private readonly env: NotificationEnv,
    private readonly metrics: MetricsRegistry,
  ) {}

  call<T>(provider: string, send: () => Promise<T>): Promise<T> {
    return this.breaker(provider).execute(() => send());
  }

  breaker(provider: string): CircuitBreakerPolicy {
    let breaker = this.breakers.get(provider);
    if (!breaker) {
      breaker = new CircuitBreakerPolicy({
        name: `notification-${provider}`,
        window: { type: 'count', size: Math.max(20, this.env.PROVIDER_BREAKER_MIN_CALLS) },
        minimumCalls: this.env.PROVIDER_BREAKER_MIN_CALLS,
        failureRateThreshold: 0.5,
        openDuration: this.env.PROVIDER_BREAKER_OPEN_MS,
        isFailure: (error) => toProviderError(error).transient,
      });
      bindResilienceMetrics(breaker, this.metrics);
      this.breakers.set(provider, breaker);
    }
    return breaker;
  }
}
