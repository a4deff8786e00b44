import type { CancelSource, PolicyContext } from '../core/context.js';
import type { CircuitStateName } from '../core/events.js';
import { FAILED, SLOW } from '../core/outcome-window.js';
import { BasePolicy } from '../core/policy.js';
import { BrokenCircuitError, TimeoutError } from '../core/resilience.errors.js';
import {
  type BreakerSnapshot,
  type CircuitBreakerOptions,
  type ResolvedBreakerOptions,
  resolveBreakerOptions,
} from './circuit-breaker.options.js';

/** What one call says about the dependency; an `ignored` call is left out of every count. */
type CallOutcome = 'success' | 'failure' | 'ignored';

/**
 * The caller walked away. In a pipeline the breaker's source is the whole-call deadline's scope,
 * which aborts both when the caller aborts (with the caller's reason) and when the deadline passes
 * (with a {@link TimeoutError}): only the former says nothing about the dependency.
 */
function abortedByCaller(source: CancelSource): boolean {
  return source.aborted && !(source.reason instanceof TimeoutError);
}

/**
 * A circuit breaker with resilience4j's semantics: consecutive, count-window or time-window
 * failure detection, failure-rate and slow-call-rate thresholds, a minimum number of calls,
 * half-open with exactly N probes. Every transition is computed from the clock when the breaker
 * is used or read (open → half-open included), so a breaker owns no timer.
 */
export class CircuitBreakerPolicy extends BasePolicy {
  private readonly o: ResolvedBreakerOptions;
  private current: CircuitStateName = 'closed';
  /** Bumped on every transition; results of calls admitted under an older one are ignored. */
  private epoch = 0;
  private openUntil = 0;
  private openings = 0;
  private consecutiveFailures = 0;
  private probesAdmitted = 0;
  private probesDone = 0;
  private probeFailures = 0;
  private probeSlow = 0;

  constructor(options: CircuitBreakerOptions) {
    const resolved = resolveBreakerOptions(options);
    super(resolved.name);
    this.o = resolved;
    if (resolved.mode !== 'enabled') this.current = resolved.mode;
    if (options.initialState) this.restore(options.initialState);
  }

  /** The state now (an open breaker whose time is up reads as half-open). */
  get state(): CircuitStateName {
    this.advance();
    return this.current;
  }

  async run<T>(operation: (ctx: PolicyContext) => PromiseLike<T> | T, ctx: PolicyContext): Promise<T> {
    const epoch = this.admit();
    if (epoch === undefined) return operation(ctx);
    if (typeof epoch !== 'number') throw epoch;
    const timed = this.o.slowCallDurationMs !== Infinity || this.events.has('success') || this.events.has('failure');
    const start = timed ? this.o.clock.now() : 0;
    let value: T;
    try {
      value = await operation(ctx);
    } catch (error) {
      const durationMs = timed ? this.o.clock.now() - start : 0;
      this.record(epoch, this.classify(error, ctx.source), durationMs);
      if (this.events.has('failure')) this.events.emit('failure', { policy: this.name, durationMs, error });
      throw error;
    }
    const durationMs = timed ? this.o.clock.now() - start : 0;
    this.record(epoch, 'success', durationMs);
    if (this.events.has('success')) this.events.emit('success', { policy: this.name, durationMs });
    return value;
  }

  /** Holds the breaker open until {@link reset}, e.g. while an operator works on the dependency. */
  isolate(): void {
    this.transition('isolated');
  }

  /** Back to closed with an empty window, from any state (also ends disabled and metrics-only). */
  reset(): void {
    this.transition('closed');
  }

  /** Stops protecting and recording until {@link reset}. */
  disable(): void {
    this.transition('disabled');
  }

  /** Records and reports but never rejects, until {@link reset}. */
  metricsOnly(): void {
    this.transition('metrics-only');
  }

  /** Current failure and slow-call figures of the window (consecutive mode: consecutive failures). */
  metrics(): { calls: number; failures: number; slowCalls: number; failureRate: number; slowCallRate: number } {
    const now = this.o.clock.now();
    const window = this.o.window;
    const calls = window ? window.calls(now) : this.consecutiveFailures;
    const failures = window ? window.failures(now) : this.consecutiveFailures;
    const slowCalls = window ? window.slow(now) : 0;
    return { calls, failures, slowCalls, failureRate: calls ? failures / calls : 0, slowCallRate: calls ? slowCalls / calls : 0 };
  }

  snapshot(): BreakerSnapshot {
    const now = this.o.clock.now();
    this.advance();
    return {
      state: this.current,
      ...(this.current === 'open' ? { openRemainingMs: Math.max(0, this.openUntil - now) } : {}),
      openings: this.openings,
      consecutiveFailures: this.consecutiveFailures,
      window: this.o.window ? this.o.window.export(now) : [],
    };
  }

  /** Restores a {@link snapshot}; a half-open breaker comes back open with no time left, so probing starts over. */
  restore(snapshot: BreakerSnapshot): void {
    const now = this.o.clock.now();
    const known: CircuitStateName[] = ['closed', 'open', 'half-open', 'isolated', 'disabled', 'metrics-only'];
    const state = known.includes(snapshot?.state) ? snapshot.state : 'closed';
    this.epoch++;
    this.resetProbes();
    this.openings = Math.max(0, Math.trunc(Number(snapshot?.openings) || 0));
    this.consecutiveFailures = Math.max(0, Math.trunc(Number(snapshot?.consecutiveFailures) || 0));
    this.o.window?.import(now, snapshot?.window);
    this.current = state === 'half-open' ? 'open' : state;
    this.openUntil = state === 'open' ? now + Math.max(0, Number(snapshot.openRemainingMs) || 0) : now;
  }

  /** Returns the admission epoch, `undefined` to run unrecorded (disabled), or the rejection. */
  private admit(): number | BrokenCircuitError | undefined {
    switch (this.current) {
      case 'closed':
      case 'metrics-only':
        return this.epoch;
      case 'disabled':
        return undefined;
      case 'isolated':
        return this.reject('isolated', undefined);
      case 'open':
        this.advance();
        if (this.current === 'open') return this.reject('circuit-open', this.openUntil - this.o.clock.now());
        return this.admit();
      case 'half-open':
        if (this.probesAdmitted >= this.o.halfOpenProbes) return this.reject('half-open-full', undefined);
        this.probesAdmitted++;
        return this.epoch;
    }
  }

  private reject(reason: 'circuit-open' | 'half-open-full' | 'isolated', retryAfterMs: number | undefined): BrokenCircuitError {
    if (this.events.has('reject')) this.events.emit('reject', { policy: this.name, reason });
    return new BrokenCircuitError(this.name, this.current, retryAfterMs);
  }

  /** Open → half-open once the open duration has passed. */
  private advance(): void {
    if (this.current === 'open' && this.o.clock.now() >= this.openUntil) this.transition('half-open');
  }

  private classify(error: unknown, source: CancelSource): CallOutcome {
    if (abortedByCaller(source) || this.o.isIgnored?.(error)) return 'ignored';
    return !this.o.isFailure || this.o.isFailure(error) ? 'failure' : 'success';
  }

  private record(epoch: number, outcome: CallOutcome, durationMs: number): void {
    if (epoch !== this.epoch) return;
    if (outcome === 'ignored') return this.handBackProbe();
    const failed = outcome === 'failure';
    const slow = durationMs >= this.o.slowCallDurationMs;
    if (this.current === 'half-open') return this.recordProbe(failed, slow);
    const now = this.o.clock.now();
    if (this.o.kind === 'consecutive') {
      this.consecutiveFailures = failed ? this.consecutiveFailures + 1 : 0;
      if (this.current === 'closed' && this.consecutiveFailures >= this.o.failureThreshold) this.open();
      return;
    }
    const window = this.o.window!;
    window.record(now, (failed ? FAILED : 0) | (slow ? SLOW : 0));
    if (this.current === 'closed' && this.exceeded(window.calls(now), window.failures(now), window.slow(now))) this.open();
  }

  /** An ignored probe proved nothing either way: its slot goes to the next caller. */
  private handBackProbe(): void {
    if (this.current === 'half-open') this.probesAdmitted--;
  }

  private recordProbe(failed: boolean, slow: boolean): void {
    this.probesDone++;
    if (failed) this.probeFailures++;
    if (slow) this.probeSlow++;
    // Consecutive mode has no rate to wait for: one failed probe proves the dependency still fails.
    if (this.o.kind === 'consecutive' && failed) return this.open();
    if (this.probesDone < this.o.halfOpenProbes) return;
    const n = this.probesDone;
    const reopen = this.o.kind === 'consecutive' ? false : this.exceeded(n, this.probeFailures, this.probeSlow, n);
    if (reopen) this.open();
    else this.transition('closed');
  }

  private exceeded(calls: number, failures: number, slow: number, minimum = this.o.minimumCalls): boolean {
    if (calls < minimum || calls === 0) return false;
    return failures / calls >= this.o.failureRateThreshold || slow / calls >= this.o.slowCallRateThreshold;
  }

  private open(): void {
    this.openings++;
    const duration = this.o.openBackoff ? this.o.openBackoff.delay(this.openings) : this.o.openFixedMs;
    this.openUntil = this.o.clock.now() + duration;
    this.transition('open');
  }

  private transition(to: CircuitStateName): void {
    const from = this.current;
    this.epoch++;
    this.resetProbes();
    if (to === 'closed' || to === 'disabled' || to === 'metrics-only') {
      this.consecutiveFailures = 0;
      this.o.window?.clear();
      if (to === 'closed') this.openings = 0;
    }
    if (to === 'open') this.consecutiveFailures = 0;
    this.current = to;
    if (from !== to && this.events.has('stateChange')) this.events.emit('stateChange', { policy: this.name, from, to });
  }

  private resetProbes(): void {
    this.probesAdmitted = this.probesDone = this.probeFailures = this.probeSlow = 0;
  }
}
