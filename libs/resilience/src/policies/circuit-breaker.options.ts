import { Backoff, type BackoffOptions } from '../core/backoff.js';
import { type Clock, systemClock } from '../core/clock.js';
import type { CircuitStateName } from '../core/events.js';
import { checkFunction, checkName, checkNumber, checkOneOf, optionalNumber } from '../core/options.js';
import { CountWindow, type OutcomeWindow, TimeWindow } from '../core/outcome-window.js';
import { InvalidPolicyOptionError } from '../core/resilience.errors.js';

/** How the breaker looks at recent calls. */
export type BreakerWindow =
  /** Opens after `failureThreshold` failures in a row (rate thresholds do not apply). */
  | { type: 'consecutive'; failureThreshold: number }
  /** The last `size` calls. */
  | { type: 'count'; size: number }
  /** Calls of the last `durationMs`, in `buckets` slices (default 10). */
  | { type: 'time'; durationMs: number; buckets?: number };

export interface CircuitBreakerOptions {
  name?: string;
  window: BreakerWindow;
  /** Opens when failures / calls reaches this (0 < x ≤ 1, default 0.5). */
  failureRateThreshold?: number;
  /** Opens when slow calls / calls reaches this (0 < x ≤ 1, default 1). */
  slowCallRateThreshold?: number;
  /** A call taking at least this long is slow (default: no call is slow). */
  slowCallDurationMs?: number;
  /** Rates are not judged before the window holds this many calls (default 10). */
  minimumCalls?: number;
  /** How long it stays open: fixed ms (default 30 s) or a backoff over consecutive openings. */
  openDuration?: number | BackoffOptions;
  /** Calls admitted while half-open; the rest are rejected (default 1). */
  halfOpenProbes?: number;
  /**
   * Which errors count as failures; the others count as successes (default: every error). Not
   * asked about the caller's own abort nor about errors {@link isIgnored} claims.
   */
  isFailure?: (error: unknown) => boolean;
  /**
   * Errors that say nothing about the dependency (e.g. the client's own faults): they enter no
   * window, and a half-open probe ending with one frees its slot for another probe. The caller's
   * own abort is always ignored; the pipeline's deadline passing is a failure, not an abort.
   */
  isIgnored?: (error: unknown) => boolean;
  /** `disabled` admits and records nothing; `metrics-only` records and reports but never rejects. */
  mode?: 'enabled' | 'disabled' | 'metrics-only';
  /** State from {@link CircuitBreakerPolicy.snapshot}, e.g. kept across a restart. */
  initialState?: BreakerSnapshot;
  clock?: Clock;
}

/** Serializable breaker state. */
export interface BreakerSnapshot {
  state: CircuitStateName;
  /** Time left open, for `open`. */
  openRemainingMs?: number;
  /** Consecutive openings, which drive an open-duration backoff. */
  openings: number;
  consecutiveFailures: number;
  /** Count window: outcome codes oldest first; time window: `[calls, failures, slow]` per bucket, newest first. */
  window: number[] | number[][];
}

export interface ResolvedBreakerOptions {
  name: string;
  kind: 'consecutive' | 'count' | 'time';
  failureThreshold: number;
  window: OutcomeWindow | undefined;
  failureRateThreshold: number;
  slowCallRateThreshold: number;
  slowCallDurationMs: number;
  minimumCalls: number;
  openFixedMs: number;
  openBackoff: Backoff | undefined;
  halfOpenProbes: number;
  isFailure: ((error: unknown) => boolean) | undefined;
  isIgnored: ((error: unknown) => boolean) | undefined;
  mode: 'enabled' | 'disabled' | 'metrics-only';
  clock: Clock;
}

/** Validates breaker options once, naming the offending option. */
export function resolveBreakerOptions(options: CircuitBreakerOptions): ResolvedBreakerOptions {
  if (!options || typeof options !== 'object') throw new InvalidPolicyOptionError('circuitBreaker', 'must be an options object', options);
  const window = options.window;
  if (!window || typeof window !== 'object') throw new InvalidPolicyOptionError('circuitBreaker.window', 'must be a window object', window);
  const kind = checkOneOf('circuitBreaker.window.type', window.type, ['consecutive', 'count', 'time'], 'count');
  let failureThreshold = 0;
  let outcomes: OutcomeWindow | undefined;
  if (kind === 'consecutive') {
    const w = window as Extract<BreakerWindow, { type: 'consecutive' }>;
    failureThreshold = checkNumber('circuitBreaker.window.failureThreshold', w.failureThreshold, { min: 1, integer: true });
  } else if (kind === 'count') {
    const w = window as Extract<BreakerWindow, { type: 'count' }>;
    outcomes = new CountWindow(checkNumber('circuitBreaker.window.size', w.size, { min: 1, max: 1_000_000, integer: true }));
  } else {
    const w = window as Extract<BreakerWindow, { type: 'time' }>;
    const durationMs = checkNumber('circuitBreaker.window.durationMs', w.durationMs, { min: 1, integer: true });
    const buckets = optionalNumber('circuitBreaker.window.buckets', w.buckets, 10, { min: 1, max: 1000, integer: true });
    outcomes = new TimeWindow(durationMs, buckets);
  }
  const openDuration = options.openDuration ?? 30_000;
  return {
    name: checkName('circuitBreaker.name', options.name, 'circuit-breaker'),
    kind,
    failureThreshold,
    window: outcomes,
    failureRateThreshold: optionalNumber('circuitBreaker.failureRateThreshold', options.failureRateThreshold, 0.5, { above: 0, max: 1 }),
    slowCallRateThreshold: optionalNumber('circuitBreaker.slowCallRateThreshold', options.slowCallRateThreshold, 1, { above: 0, max: 1 }),
    slowCallDurationMs: optionalNumber('circuitBreaker.slowCallDurationMs', options.slowCallDurationMs, Infinity, { min: 0, infinite: true }),
    minimumCalls: optionalNumber('circuitBreaker.minimumCalls', options.minimumCalls, 10, { min: 1, integer: true }),
    openFixedMs:
      typeof openDuration === 'number' ? checkNumber('circuitBreaker.openDuration', openDuration, { min: 0, max: 2_147_483_647 }) : 0,
    openBackoff: typeof openDuration === 'number' ? undefined : Backoff.from('circuitBreaker.openDuration', openDuration),
    halfOpenProbes: optionalNumber('circuitBreaker.halfOpenProbes', options.halfOpenProbes, 1, { min: 1, max: 10_000, integer: true }),
    isFailure: checkFunction<((error: unknown) => boolean) | undefined>('circuitBreaker.isFailure', options.isFailure, undefined),
    isIgnored: checkFunction<((error: unknown) => boolean) | undefined>('circuitBreaker.isIgnored', options.isIgnored, undefined),
    mode: checkOneOf('circuitBreaker.mode', options.mode, ['enabled', 'disabled', 'metrics-only'], 'enabled'),
    clock: options.clock ?? systemClock,
  };
}
