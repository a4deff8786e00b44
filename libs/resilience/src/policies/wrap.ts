import type { PolicyContext } from '../core/context.js';
import { checkName } from '../core/options.js';
import { BasePolicy, type Policy } from '../core/policy.js';
import { InvalidPolicyOptionError, ResilienceError, TimeoutError } from '../core/resilience.errors.js';

/**
 * Policies applied outermost first: `wrap(timeout, retry, breaker, bulkhead)` gives every call a
 * deadline, retries inside it, and lets the breaker and bulkhead see each attempt.
 */
export class WrappedPolicy<R = never> extends BasePolicy<R> {
  private readonly chain: readonly Policy<unknown>[];

  constructor(name: string, policies: readonly Policy<unknown>[]) {
    super(checkName('wrap.name', name, 'pipeline'));
    if (policies.length === 0) throw new InvalidPolicyOptionError('wrap.policies', 'must name at least one policy', policies.length);
    this.chain = policies;
  }

  override get members(): readonly Policy<unknown>[] {
    return this.chain.flatMap((policy) => policy.members);
  }

  run<T>(operation: (ctx: PolicyContext) => PromiseLike<T> | T, ctx: PolicyContext): Promise<T | R> {
    const measured = this.events.has('success') || this.events.has('failure');
    if (!measured) return this.step(0, operation, ctx) as Promise<T | R>;
    const start = performance.now();
    return (this.step(0, operation, ctx) as Promise<T | R>).then(
      (value) => {
        this.events.emit('success', { policy: this.name, durationMs: performance.now() - start });
        return value;
      },
      (error: unknown) => {
        this.events.emit('failure', { policy: this.name, durationMs: performance.now() - start, error });
        throw error;
      },
    );
  }

  private step<T>(index: number, operation: (ctx: PolicyContext) => PromiseLike<T> | T, ctx: PolicyContext): Promise<unknown> {
    const policy = this.chain[index];
    if (index === this.chain.length - 1) return policy.run(operation, ctx);
    return policy.run((inner) => this.step(index + 1, operation, inner), ctx);
  }
}

/** What a composition may answer instead of the call's own result: the union of its fallbacks. */
export type AlternativeOf<P> = P extends Policy<infer R> ? R : never;

/** Composes policies, outermost first, into one with the same calling convention. */
export function wrap<P extends Policy<unknown>[]>(...policies: P): WrappedPolicy<AlternativeOf<P[number]>> {
  return new WrappedPolicy('pipeline', policies);
}

/** Composes named policies; the name labels the pipeline's own events and metrics. */
export function wrapNamed<P extends Policy<unknown>[]>(name: string, ...policies: P): WrappedPolicy<AlternativeOf<P[number]>> {
  return new WrappedPolicy(name, policies);
}

/** The `outcome` label of a finished call: success, failure, rejected or timeout. */
export function outcomeOf(error: unknown): 'failure' | 'rejected' | 'timeout' {
  let current: unknown = error;
  // A give-up wraps the last attempt's error: report what actually happened.
  for (let depth = 0; depth < 3 && current instanceof ResilienceError; depth++) {
    if (current instanceof TimeoutError) return 'timeout';
    if (current.code === 'CIRCUIT_OPEN' || current.code === 'BULKHEAD_FULL') return 'rejected';
    if (current.code !== 'RETRIES_EXHAUSTED') break;
    current = current.cause;
  }
  return current instanceof TimeoutError ? 'timeout' : 'failure';
}
