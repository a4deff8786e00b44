import { Backoff, type BackoffOptions } from '../core/backoff.js';
import { type Clock, systemClock } from '../core/clock.js';
import { PolicyContext } from '../core/context.js';
import { checkFunction, checkName, optionalNumber } from '../core/options.js';
import { BasePolicy, invoke } from '../core/policy.js';
import { RetriesExhaustedError } from '../core/resilience.errors.js';
import { RetryBudget, type RetryBudgetOptions } from '../core/retry-budget.js';
import { isRetryableError, retryAfterOf } from '../core/retryable.js';
import { sleep } from '../core/sleep.js';

export interface RetryOptions {
  name?: string;
  /** Attempts in total, the first included (default 3). */
  maxAttempts?: number;
  /** Default: exponential from 100 ms, ×2, capped at 10 s, full jitter. */
  backoff?: BackoffOptions;
  /** Which errors deserve another attempt (default {@link isRetryableError}). */
  retryOn?: (error: unknown, attempt: number) => boolean;
  /** Longest `Retry-After` honoured; longer requests wait this long (default 30 s). */
  maxRetryAfterMs?: number;
  /** A shared budget instance, or options for a budget of this policy's own. */
  budget?: RetryBudget | RetryBudgetOptions;
  clock?: Clock;
  random?: () => number;
}

/**
 * Retries failed attempts with backoff. Stops at `maxAttempts`, on a non-retryable error (passed
 * on unchanged), on abort (the abort reason is passed on), or when the budget is spent; running
 * out of attempts or budget throws {@link RetriesExhaustedError} with the last error as `cause`.
 */
export class RetryPolicy extends BasePolicy {
  readonly maxAttempts: number;
  readonly backoff: Backoff;
  readonly budget: RetryBudget | undefined;
  private readonly retryOn: (error: unknown, attempt: number) => boolean;
  private readonly maxRetryAfterMs: number;
  private readonly clock: Clock;

  constructor(options: RetryOptions = {}) {
    super(checkName('retry.name', options.name, 'retry'));
    this.maxAttempts = optionalNumber('retry.maxAttempts', options.maxAttempts, 3, { min: 1, max: 100, integer: true });
    this.backoff = Backoff.from('retry.backoff', options.backoff ?? { type: 'exponential' }, options.random);
    this.retryOn = checkFunction('retry.retryOn', options.retryOn, isRetryableError);
    this.maxRetryAfterMs = optionalNumber('retry.maxRetryAfterMs', options.maxRetryAfterMs, 30_000, { min: 0 });
    this.clock = options.clock ?? systemClock;
    if (options.budget !== undefined) {
      this.budget = options.budget instanceof RetryBudget ? options.budget : new RetryBudget({ clock: this.clock, ...options.budget }, 'retry.budget');
    }
  }

  async run<T>(operation: (ctx: PolicyContext) => PromiseLike<T> | T, ctx: PolicyContext): Promise<T> {
    this.budget?.recordCall();
    let previousDelay: number | undefined;
    for (let attempt = 1; ; attempt++) {
      try {
        return await invoke(operation, attempt === ctx.attempt ? ctx : new PolicyContext(ctx.source, attempt));
      } catch (error) {
        if (ctx.source.aborted || !this.retryOn(error, attempt)) throw error;
        if (attempt >= this.maxAttempts) throw this.giveUp(attempt, 'attempts', error);
        if (this.budget && !this.budget.tryRetry()) throw this.giveUp(attempt, 'budget', error);
        let delay = this.backoff.delay(attempt, previousDelay);
        previousDelay = delay;
        const asked = retryAfterOf(error);
        if (asked !== undefined) delay = Math.max(delay, Math.min(asked, this.maxRetryAfterMs));
        if (this.events.has('retry')) this.events.emit('retry', { policy: this.name, attempt, delayMs: delay, error });
        if (delay > 0) await sleep(this.clock, delay, ctx.source);
      }
    }
  }

  private giveUp(attempts: number, reason: 'attempts' | 'budget', error: unknown): RetriesExhaustedError {
    if (this.events.has('giveUp')) this.events.emit('giveUp', { policy: this.name, attempts, reason, error });
    return new RetriesExhaustedError(this.name, attempts, reason, error);
  }
}
