import { getEventListeners } from 'node:events';
import { describe, expect, it } from 'vitest';
import {
  BulkheadPolicy,
  BulkheadRejectedError,
  type Clock,
  FakeClock,
  FallbackPolicy,
  InvalidPolicyOptionError,
  TimeoutError,
  TimeoutPolicy,
  systemClock,
  wrap,
} from '../src/index.js';

const settle = (call: Promise<unknown>) =>
  call.then(
    () => 'ok' as const,
    (error: unknown) => (error instanceof TimeoutError ? ('timeout' as const) : ('aborted' as const)),
  );
const never = (signal: AbortSignal) => new Promise<never>((_, reject) => signal.addEventListener('abort', () => reject(signal.reason), { once: true }));

describe('timeout', () => {
  it('cooperative: aborts the signal with a TimeoutError reason and reports the timeout', async () => {
    const clock = new FakeClock();
    const policy = new TimeoutPolicy({ timeoutMs: 100, clock });
    let seen: AbortSignal | undefined;
    const call = policy.execute(({ signal }) => {
      seen = signal;
      return never(signal);
    });
    const outcome = call.catch((error: unknown) => error);
    await clock.advance(100);
    const error = await outcome;
    expect(error).toBeInstanceOf(TimeoutError);
    expect(seen!.aborted).toBe(true);
    expect(seen!.reason).toBeInstanceOf(TimeoutError);
    expect((seen!.reason as TimeoutError).timeoutMs).toBe(100);
  });

  it('cooperative: waits for the callee and keeps its own error as the cause', async () => {
    const clock = new FakeClock();
    const policy = new TimeoutPolicy({ timeoutMs: 50, clock });
    const own = new Error('stopped cleanly');
    const call = policy
      .execute(({ signal }) => new Promise((_, reject) => signal.addEventListener('abort', () => reject(own))))
      .catch((error: unknown) => error);
    await clock.advance(50);
    const error = (await call) as TimeoutError;
    expect(error).toBeInstanceOf(TimeoutError);
    expect(error.cause).toBe(own);
  });

  it('aggressive: rejects at the deadline even if the callee ignores the signal', async () => {
    const clock = new FakeClock();
    const policy = new TimeoutPolicy({ timeoutMs: 100, strategy: 'aggressive', clock });
    let signal: AbortSignal | undefined;
    const call = policy.execute((ctx) => {
      signal = ctx.signal;
      return new Promise(() => undefined);
    });
    const outcome = call.catch((error: unknown) => error);
    await clock.advance(100);
    expect(await outcome).toBeInstanceOf(TimeoutError);
    expect(signal!.aborted).toBe(true);
  });

  it('passes the caller abort on with the caller reason', async () => {
    const policy = new TimeoutPolicy({ timeoutMs: 10_000 });
    const controller = new AbortController();
    const call = policy.execute(({ signal }) => never(signal), controller.signal);
    controller.abort(new Error('client closed'));
    await expect(call).rejects.toThrow('client closed');
    expect(getEventListeners(controller.signal, 'abort')).toHaveLength(0);
    expect(policy.pending).toBe(0);
  });

  it('hands a late reader of ctx.signal an already aborted signal', async () => {
    const clock = new FakeClock();
    const policy = new TimeoutPolicy({ timeoutMs: 10, clock });
    let late: AbortSignal | undefined;
    const call = policy.execute(async (ctx) => {
      await clock.advance(20);
      late = ctx.signal;
      return 'finished anyway';
    });
    expect(await call).toBe('finished anyway');
    expect(late!.aborted).toBe(true);
  });

  it('leaves no listener and no timer after 100,000 successful, timed-out and aborted calls', async () => {
    const clock = new FakeClock();
    const cooperative = new TimeoutPolicy({ timeoutMs: 5, clock });
    const aggressive = new TimeoutPolicy({ timeoutMs: 5, clock, strategy: 'aggressive' });
    const parent = new AbortController();
    const outcomes = { ok: 0, timeout: 0, aborted: 0 };
    for (let batch = 0; batch < 100; batch++) {
      const calls: Promise<keyof typeof outcomes>[] = [];
      for (let i = 0; i < 1_000; i++) {
        const policy = i % 2 ? cooperative : aggressive;
        const kind = i % 3;
        if (kind === 0) calls.push(settle(policy.execute(({ signal }) => Promise.resolve(signal.aborted), parent.signal)));
        else if (kind === 1) calls.push(settle(policy.execute(({ signal }) => never(signal), parent.signal)));
        else {
          const own = new AbortController();
          calls.push(settle(policy.execute(({ signal }) => never(signal), own.signal)));
          own.abort(new Error('abort'));
        }
      }
      await clock.advance(5);
      for (const result of await Promise.all(calls)) outcomes[result]++;
    }
    expect(outcomes.ok + outcomes.timeout + outcomes.aborted).toBe(100_000);
    expect(outcomes.ok).toBeGreaterThan(30_000);
    expect(outcomes.timeout).toBeGreaterThan(30_000);
    expect(outcomes.aborted).toBeGreaterThan(30_000);
    expect(getEventListeners(parent.signal, 'abort')).toHaveLength(0);
    expect(cooperative.pending + aggressive.pending).toBe(0);
    await clock.advance(5);
    expect(clock.pendingTimers).toBe(0);
  });

  it('on the real clock, holds one shared timer while calls run and none once they are done', async () => {
    // Real timers, counted as they are created and end.
    let live = 0;
    let created = 0;
    const counting: Clock = {
      ...systemClock,
      setTimeout: (callback, ms) => {
        live++;
        created++;
        return setTimeout(() => {
          live--;
          callback();
        }, ms);
      },
      clearTimeout: (handle) => {
        live--;
        clearTimeout(handle as ReturnType<typeof setTimeout>);
      },
    };
    const policy = new TimeoutPolicy({ timeoutMs: 30, clock: counting });
    const timers = () => process.getActiveResourcesInfo().filter((name) => name === 'Timeout').length;
    const before = timers();
    const calls = Array.from({ length: 10_000 }, (_, i) =>
      policy.execute(({ signal }) => (i % 2 ? Promise.resolve(i) : never(signal))).catch((error: unknown) => error),
    );
    // One deadline timer for all 10,000 calls, not one per call.
    expect(live).toBe(1);
    expect(timers() - before).toBeLessThanOrEqual(1);
    const results = await Promise.all(calls);
    expect(results.filter((result) => result instanceof TimeoutError)).toHaveLength(5_000);
    await new Promise((resolve) => setTimeout(resolve, 60));
    expect(live).toBe(0);
    expect(created).toBeLessThanOrEqual(3);
    expect(timers()).toBeLessThanOrEqual(before);
    expect(policy.pending).toBe(0);
  });

  it.each([0, -1, Number.NaN, Infinity])('rejects timeoutMs %s naming the option', (timeoutMs) => {
    expect(() => new TimeoutPolicy({ timeoutMs })).toThrow(/^timeout\.timeoutMs /);
  });
});

describe('bulkhead', () => {
  function gated() {
    const releases: (() => void)[] = [];
    const task = () => new Promise<string>((resolve) => releases.push(() => resolve('done')));
    return { task, releaseAll: () => releases.splice(0).forEach((release) => release()), releases };
  }

  it('runs maxConcurrent at once, queues up to maxQueue, rejects beyond', async () => {
    const bulkhead = new BulkheadPolicy({ maxConcurrent: 2, maxQueue: 1 });
    const { task, releaseAll, releases } = gated();
    const calls = [bulkhead.execute(task), bulkhead.execute(task), bulkhead.execute(task)];
    await expect(bulkhead.execute(task)).rejects.toBeInstanceOf(BulkheadRejectedError);
    expect([bulkhead.active, bulkhead.queueLength, releases.length]).toEqual([2, 1, 2]);
    releaseAll();
    await new Promise((resolve) => setImmediate(resolve));
    expect([bulkhead.active, bulkhead.queueLength]).toEqual([1, 0]);
    releaseAll();
    expect(await Promise.all(calls)).toEqual(['done', 'done', 'done']);
    expect(bulkhead.active).toBe(0);
  });

  it('an aborted queued call leaves the queue and frees its place', async () => {
    const bulkhead = new BulkheadPolicy({ maxConcurrent: 1, maxQueue: 1 });
    const { task, releaseAll } = gated();
    const running = bulkhead.execute(task);
    const controller = new AbortController();
    let ran = false;
    const queued = bulkhead.execute(() => (ran = true), controller.signal);
    expect(bulkhead.queueLength).toBe(1);
    controller.abort(new Error('gave up waiting'));
    await expect(queued).rejects.toThrow('gave up waiting');
    expect(bulkhead.queueLength).toBe(0);
    expect(getEventListeners(controller.signal, 'abort')).toHaveLength(0);
    const next = bulkhead.execute(() => 'next');
    releaseAll();
    expect(await running).toBe('done');
    expect(await next).toBe('next');
    expect(ran).toBe(false);
  });

  it('frees the slot when the call throws synchronously', async () => {
    const bulkhead = new BulkheadPolicy({ maxConcurrent: 1 });
    await expect(
      bulkhead.execute(() => {
        throw new Error('sync');
      }),
    ).rejects.toThrow('sync');
    expect(await bulkhead.execute(() => 'free again')).toBe('free again');
  });

  it.each([
    [{ maxConcurrent: 0 }, 'bulkhead.maxConcurrent'],
    [{ maxConcurrent: 1, maxQueue: -1 }, 'bulkhead.maxQueue'],
  ])('rejects %j naming %s', (options, option) => {
    expect(() => new BulkheadPolicy(options)).toThrow(InvalidPolicyOptionError);
    expect(() => new BulkheadPolicy(options)).toThrow(new RegExp(`^${option.replace('.', '\\.')} `));
  });
});

describe('fallback and wrap', () => {
  it('answers chosen failures with a value or a function of the error', async () => {
    const byValue = new FallbackPolicy({ value: 'cached' });
    expect(await byValue.execute(() => Promise.reject(new Error('down')))).toBe('cached');
    const byFunction = new FallbackPolicy({ fn: (error) => `fallback for ${(error as Error).message}`, handles: (error) => error instanceof BulkheadRejectedError });
    expect(await byFunction.execute(() => Promise.reject(new BulkheadRejectedError('x', 1, 0)))).toBe('fallback for Bulkhead "x" is full (1 running, 0 queued)');
    await expect(byFunction.execute(() => Promise.reject(new Error('other')))).rejects.toThrow('other');
  });

  it('composes outermost first and gives the inner call the timeout signal and the attempt', async () => {
    const clock = new FakeClock();
    const pipeline = wrap(
      new FallbackPolicy({ value: 'fallback' }),
      new TimeoutPolicy({ timeoutMs: 1_000, clock }),
      new BulkheadPolicy({ maxConcurrent: 1 }),
    );
    const seen: { attempt: number; aborted: boolean }[] = [];
    expect(await pipeline.execute(({ signal, attempt }) => (seen.push({ attempt, aborted: signal.aborted }), 'real'))).toBe('real');
    const slow = pipeline.execute(({ signal }) => never(signal));
    await clock.advance(1_000);
    expect(await slow).toBe('fallback');
    expect(seen).toEqual([{ attempt: 1, aborted: false }]);
    expect(pipeline.members.map((member) => member.constructor.name)).toEqual(['FallbackPolicy', 'TimeoutPolicy', 'BulkheadPolicy']);
  });

  it('rejects a fallback without a value or a function', () => {
    expect(() => new FallbackPolicy({} as never)).toThrow(/^fallback needs a value or an fn/);
  });
});
