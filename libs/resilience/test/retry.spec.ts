import { describe, expect, it } from 'vitest';
import {
  Backoff,
  BrokenCircuitError,
  FakeClock,
  InvalidPolicyOptionError,
  JITTERS,
  RetriesExhaustedError,
  RetryBudget,
  RetryPolicy,
  TimeoutError,
  isRetryableError,
  parseRetryAfter,
} from '../src/index.js';

const statusError = (status: number, retryAfterMs?: number) => Object.assign(new Error(`status ${status}`), { status, retryAfterMs });

/** A deterministic PRNG (mulberry32), so sample runs are reproducible. */
function seeded(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

describe('backoff and jitter', () => {
  it.each(JITTERS)('%s jitter stays within [0, cap] over 10,000 samples', (jitter) => {
    const backoff = Backoff.from('backoff', { type: 'exponential', initialDelayMs: 10, maxDelayMs: 1_000, jitter }, seeded(7));
    let previous: number | undefined;
    let below = 0;
    for (let i = 0; i < 10_000; i++) {
      const attempt = (i % 20) + 1;
      const delay = backoff.delay(attempt, previous);
      expect(delay).toBeGreaterThanOrEqual(0);
      expect(delay).toBeLessThanOrEqual(1_000);
      if (delay < backoff.base(attempt)) below++;
      previous = delay;
    }
    // Jitter must actually spread delays (except `none`).
    if (jitter === 'none') expect(below).toBe(0);
    else expect(below).toBeGreaterThan(1_000);
  });

  it('never yields NaN or Infinity over 10^6 iterations, even with extreme attempts and random values', () => {
    const random = seeded(42);
    const edge = [0, 1 - Number.EPSILON, 0.5];
    const backoffs = JITTERS.flatMap((jitter) => [
      Backoff.from('a', { type: 'exponential', initialDelayMs: 0, maxDelayMs: 0, jitter }, () => edge[Math.floor(random() * 3)]),
      Backoff.from('b', { type: 'exponential', initialDelayMs: 1, maxDelayMs: 2_147_483_647, multiplier: 100, jitter }, random),
      Backoff.from('c', { type: 'constant', delayMs: 250, jitter }, random),
    ]);
    let bad = 0;
    let previous = 0;
    for (let i = 0; i < 1_000_000; i++) {
      const backoff = backoffs[i % backoffs.length];
      const attempt = i % 3 === 0 ? Number.MAX_SAFE_INTEGER : (i % 5000) + 1;
      const delay = backoff.delay(attempt, previous);
      if (!Number.isFinite(delay) || delay < 0 || delay > backoff.cap) bad++;
      previous = i % 7 === 0 ? Number.MAX_VALUE : delay;
    }
    expect(bad).toBe(0);
  });

  it('exponential without jitter doubles up to the cap; constant stays put', () => {
    const exponential = Backoff.from('b', { type: 'exponential', initialDelayMs: 100, maxDelayMs: 700, jitter: 'none' });
    expect([1, 2, 3, 4, 5].map((n) => exponential.delay(n))).toEqual([100, 200, 400, 700, 700]);
    const constant = Backoff.from('b', { type: 'constant', delayMs: 50 });
    expect([1, 9].map((n) => constant.delay(n))).toEqual([50, 50]);
  });
});

describe('Retry-After parsing', () => {
  const now = Date.UTC(2026, 0, 1, 12, 0, 0);
  it.each([
    ['120', 120_000],
    [' 3 ', 3_000],
    ['0', 0],
    ['Thu, 01 Jan 2026 12:00:30 GMT', 30_000],
    ['Thursday, 01-Jan-26 12:01:00 GMT', 60_000],
    ['Thu Jan  1 12:00:05 2026', 5_000 - new Date(now).getTimezoneOffset() * 60_000],
    ['Wed, 31 Dec 2025 12:00:00 GMT', 0],
  ])('%j → %i ms', (value, expected) => {
    expect(parseRetryAfter(value, now)).toBe(expected);
  });

  it.each(['', '-5', '1.5', '+3', 'soon', '10 seconds', 'Mon, 99 Foo 2026 25:00:00 GMT'])('%j is invalid', (value) => {
    expect(parseRetryAfter(value, now)).toBeUndefined();
  });

  it('takes the first of repeated headers and ignores absent ones', () => {
    expect(parseRetryAfter(['2', '9'], now)).toBe(2_000);
    expect(parseRetryAfter(undefined, now)).toBeUndefined();
  });
});

describe('retry policy', () => {
  it('retries retryable failures and passes the attempt number', async () => {
    const clock = new FakeClock();
    const retry = new RetryPolicy({ maxAttempts: 3, backoff: { type: 'constant', delayMs: 100 }, clock });
    const attempts: number[] = [];
    const call = retry.execute(({ attempt }) => {
      attempts.push(attempt);
      if (attempt < 3) throw statusError(503);
      return 'third time';
    });
    await clock.advance(200);
    expect(await call).toBe('third time');
    expect(attempts).toEqual([1, 2, 3]);
  });

  it('gives up with RetriesExhaustedError carrying the last error as cause', async () => {
    const retry = new RetryPolicy({ maxAttempts: 2, backoff: { type: 'constant', delayMs: 0 } });
    const last = statusError(502);
    let calls = 0;
    const error = await retry
      .execute(() => {
        calls++;
        throw calls === 2 ? last : statusError(503);
      })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RetriesExhaustedError);
    expect(error).toMatchObject({ attempts: 2, reason: 'attempts' });
    expect((error as Error).cause).toBe(last);
  });

  it.each([400, 401, 403, 404, 409, 422, 500, 501])('does not retry a %i', async (status) => {
    const retry = new RetryPolicy({ maxAttempts: 5, backoff: { type: 'constant', delayMs: 0 } });
    let calls = 0;
    const failure = statusError(status);
    await expect(
      retry.execute(() => {
        calls++;
        throw failure;
      }),
    ).rejects.toBe(failure);
    expect(calls).toBe(1);
  });

  it('default predicate: network errors, timeouts, 429/502/503/504 yes; rejections, aborts, plain errors no', () => {
    expect(isRetryableError(Object.assign(new Error('reset'), { code: 'ECONNRESET' }))).toBe(true);
    expect(isRetryableError(new TypeError('fetch failed', { cause: Object.assign(new Error(), { code: 'ECONNREFUSED' }) }))).toBe(true);
    expect(isRetryableError(new TimeoutError('x', 10))).toBe(true);
    for (const status of [429, 502, 503, 504]) expect(isRetryableError(statusError(status))).toBe(true);
    expect(isRetryableError(new BrokenCircuitError('x', 'open'))).toBe(false);
    expect(isRetryableError(new DOMException('aborted', 'AbortError'))).toBe(false);
    expect(isRetryableError(new Error('bug'))).toBe(false);
    expect(isRetryableError('string')).toBe(false);
  });

  it('waits as long as Retry-After asks, capped by maxRetryAfterMs', async () => {
    const clock = new FakeClock();
    const retry = new RetryPolicy({ maxAttempts: 3, backoff: { type: 'constant', delayMs: 10 }, maxRetryAfterMs: 5_000, clock });
    const delays: number[] = [];
    retry.events.on('retry', ({ delayMs }) => delays.push(delayMs));
    const call = retry.execute(({ attempt }) => {
      if (attempt === 1) throw statusError(429, 2_000);
      if (attempt === 2) throw statusError(503, 3_600_000);
      return 'done';
    });
    await clock.advance(1_999);
    expect(delays).toEqual([2_000]);
    await clock.advance(1 + 5_000);
    expect(await call).toBe('done');
    expect(delays).toEqual([2_000, 5_000]);
  });

  it('stops on abort during the backoff wait, with the abort reason, leaving no timer', async () => {
    const clock = new FakeClock();
    const retry = new RetryPolicy({ maxAttempts: 10, backoff: { type: 'constant', delayMs: 1_000 }, clock });
    const controller = new AbortController();
    let calls = 0;
    const call = retry.execute(() => {
      calls++;
      throw statusError(503);
    }, controller.signal);
    await clock.advance(500);
    expect(clock.pendingTimers).toBe(1);
    controller.abort(new Error('caller left'));
    await expect(call).rejects.toThrow('caller left');
    expect(calls).toBe(1);
    expect(clock.pendingTimers).toBe(0);
  });

  it('rejects at once when the signal is already aborted', async () => {
    let called = false;
    await expect(new RetryPolicy().execute(() => (called = true), AbortSignal.abort(new Error('already')))).rejects.toThrow('already');
    expect(called).toBe(false);
  });
});

describe('retry budget', () => {
  it('caps retry traffic at the ratio of calls once the floor is spent', async () => {
    const clock = new FakeClock();
    const budget = new RetryBudget({ ratio: 0.1, minRetriesPerSecond: 1, windowMs: 10_000, clock });
    const retry = new RetryPolicy({ maxAttempts: 4, backoff: { type: 'constant', delayMs: 0 }, budget, clock });
    let attempts = 0;
    const outcomes = { exhaustedByBudget: 0 };
    for (let i = 0; i < 1_000; i++) {
      await retry
        .execute(() => {
          attempts++;
          throw statusError(503);
        })
        .catch((error: RetriesExhaustedError) => {
          if (error.reason === 'budget') outcomes.exhaustedByBudget++;
        });
    }
    const retries = attempts - 1_000;
    // Without a budget a dead dependency would see 4,000 attempts; with it, at most 10% + floor of 10.
    expect(retries).toBeLessThanOrEqual(Math.max(10, 0.1 * 1_000));
    expect(retries).toBeGreaterThanOrEqual(90);
    expect(outcomes.exhaustedByBudget).toBeGreaterThan(900);
  });

  it('refills as the window moves on', () => {
    const clock = new FakeClock();
    const budget = new RetryBudget({ ratio: 0, minRetriesPerSecond: 1, windowMs: 2_000, clock });
    expect([budget.tryRetry(), budget.tryRetry(), budget.tryRetry()]).toEqual([true, true, false]);
    clock.tick(2_000);
    expect(budget.tryRetry()).toBe(true);
  });
});

describe('retry options', () => {
  it.each([
    [{ maxAttempts: 0 }, 'retry.maxAttempts'],
    [{ maxAttempts: 2.5 }, 'retry.maxAttempts'],
    [{ backoff: { type: 'constant', delayMs: -1 } }, 'retry.backoff.delayMs'],
    [{ backoff: { type: 'exponential', initialDelayMs: 100, maxDelayMs: 10 } }, 'retry.backoff.maxDelayMs'],
    [{ backoff: { type: 'exponential', jitter: 'random' } }, 'retry.backoff.jitter'],
    [{ budget: { ratio: 2 } }, 'retry.budget.ratio'],
    [{ retryOn: 'all' }, 'retry.retryOn'],
    [{ maxRetryAfterMs: Number.NaN }, 'retry.maxRetryAfterMs'],
  ])('rejects %j naming %s', (options, option) => {
    expect(() => new RetryPolicy(options as never)).toThrow(InvalidPolicyOptionError);
    expect(() => new RetryPolicy(options as never)).toThrow(new RegExp(`^${option.replace(/\./g, '\\.')} `));
  });
});
