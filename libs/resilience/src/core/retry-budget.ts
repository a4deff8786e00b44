import type { Clock } from './clock.js';
import { systemClock } from './clock.js';
import { optionalNumber } from './options.js';
import { TimeBuckets } from './time-buckets.js';

export interface RetryBudgetOptions {
  /** Retries allowed as a fraction of calls in the window (default 0.2: at most +20% load). */
  ratio?: number;
  /** Retries always allowed per second, so a quiet service can still retry (default 10). */
  minRetriesPerSecond?: number;
  /** Window over which calls and retries are counted (default 10 s). */
  windowMs?: number;
  clock?: Clock;
}

const CALLS = 0;
const RETRIES = 1;

/**
 * Caps retry traffic at `ratio` of recent calls (plus a small floor), as Finagle and Linkerd do, so
 * a failing dependency sees at most `1 + ratio` times its normal load instead of `maxAttempts`
 * times. Share one budget between the policies that call the same dependency.
 */
export class RetryBudget {
  readonly ratio: number;
  readonly minRetriesPerSecond: number;
  readonly windowMs: number;
  private readonly clock: Clock;
  private readonly window: TimeBuckets;

  constructor(options: RetryBudgetOptions = {}, option = 'budget') {
    this.ratio = optionalNumber(`${option}.ratio`, options.ratio, 0.2, { min: 0, max: 1 });
    this.minRetriesPerSecond = optionalNumber(`${option}.minRetriesPerSecond`, options.minRetriesPerSecond, 10, { min: 0 });
    this.windowMs = optionalNumber(`${option}.windowMs`, options.windowMs, 10_000, { min: 100, integer: true });
    this.clock = options.clock ?? systemClock;
    this.window = new TimeBuckets(10, this.windowMs / 10, 2);
  }

  /** Counts a first attempt. */
  recordCall(): void {
    this.window.add(this.clock.now(), CALLS);
  }

  /** Takes one retry from the budget; false means the budget is spent. */
  tryRetry(): boolean {
    const now = this.clock.now();
    const allowed = Math.max(this.minRetriesPerSecond * (this.windowMs / 1000), this.ratio * this.window.sum(now, CALLS));
    if (this.window.sum(now, RETRIES) + 1 > allowed) return false;
    this.window.add(now, RETRIES);
    return true;
  }
}
