import { Counter, Gauge, Histogram, type Registry } from 'prom-client';
import type { CircuitStateName } from '../core/events.js';
import type { Policy } from '../core/policy.js';
import { CircuitBreakerPolicy } from '../policies/circuit-breaker.policy.js';
import { outcomeOf } from '../policies/wrap.js';

/** A prom-client registry, or anything exposing one (such as `MetricsRegistry` of `@dentalos/metrics`). */
export type MetricsTarget = Registry | { readonly registry: Registry };

const STATES: readonly CircuitStateName[] = ['closed', 'open', 'half-open', 'isolated', 'disabled', 'metrics-only'];
/** Seconds; outbound calls are expected between a millisecond and a few seconds. */
const DURATION_BUCKETS = [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

interface Instruments {
  calls: Counter<'policy' | 'outcome'>;
  retries: Counter<'policy'>;
  duration: Histogram<'policy'>;
  state: Gauge<'policy' | 'state'>;
  breakers: Set<CircuitBreakerPolicy>;
}

const byRegistry = new WeakMap<Registry, Instruments>();

function instrumentsFor(registry: Registry): Instruments {
  const known = byRegistry.get(registry);
  if (known) return known;
  const breakers = new Set<CircuitBreakerPolicy>();
  const existing = <T>(name: string): T | undefined => registry.getSingleMetric(name) as T | undefined;
  const instruments: Instruments = {
    breakers,
    calls:
      existing('resilience_calls_total') ??
      new Counter({ name: 'resilience_calls_total', help: 'Calls through a resilience pipeline, by outcome.', labelNames: ['policy', 'outcome'], registers: [registry] }),
    retries:
      existing('resilience_retries_total') ??
      new Counter({ name: 'resilience_retries_total', help: 'Retries scheduled after a failed attempt.', labelNames: ['policy'], registers: [registry] }),
    duration:
      existing('resilience_call_duration_seconds') ??
      new Histogram({
        name: 'resilience_call_duration_seconds',
        help: 'Duration of calls through a resilience pipeline, retries and waits included.',
        labelNames: ['policy'],
        buckets: DURATION_BUCKETS,
        registers: [registry],
      }),
    state:
      existing('resilience_circuit_state') ??
      new Gauge({
        name: 'resilience_circuit_state',
        help: 'Circuit breaker state: 1 for the current state, 0 for the others.',
        labelNames: ['policy', 'state'],
        registers: [registry],
        // Read at scrape time: an open breaker becomes half-open by the clock, without an event.
        collect() {
          for (const breaker of breakers) {
            const current = breaker.state;
            for (const state of STATES) this.set({ policy: breaker.name, state }, state === current ? 1 : 0);
          }
        },
      }),
  };
  byRegistry.set(registry, instruments);
  return instruments;
}

/**
 * Exports a policy's events as `resilience_*` metrics: calls and durations of the policy itself,
 * retries of its retry members, states of its breaker members. Returns the unbinding function.
 */
export function bindResilienceMetrics(policy: Policy<unknown>, target: MetricsTarget): () => void {
  const registry = 'registry' in target ? target.registry : target;
  const instruments = instrumentsFor(registry);
  const unsubscribe: (() => void)[] = [
    policy.events.on('success', ({ policy: name, durationMs }) => {
      instruments.calls.inc({ policy: name, outcome: 'success' });
      instruments.duration.observe({ policy: name }, durationMs / 1000);
    }),
    policy.events.on('failure', ({ policy: name, durationMs, error }) => {
      instruments.calls.inc({ policy: name, outcome: outcomeOf(error) });
      instruments.duration.observe({ policy: name }, durationMs / 1000);
    }),
  ];
  for (const member of policy.members) {
    if (member === policy && policy.members.length > 1) continue;
    unsubscribe.push(member.events.on('retry', ({ policy: name }) => instruments.retries.inc({ policy: name })));
    if (member instanceof CircuitBreakerPolicy) {
      instruments.breakers.add(member);
      unsubscribe.push(() => {
        instruments.breakers.delete(member);
        for (const state of STATES) instruments.state.remove({ policy: member.name, state });
      });
    }
  }
  // Make the series exist from the start, so dashboards and alerts see zeros rather than gaps.
  instruments.calls.inc({ policy: policy.name, outcome: 'success' }, 0);
  return () => unsubscribe.forEach((fn) => fn());
}
