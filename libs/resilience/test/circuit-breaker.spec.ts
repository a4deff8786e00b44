import { describe, expect, it } from 'vitest';
import {
  BrokenCircuitError,
  type CircuitBreakerOptions,
  CircuitBreakerPolicy,
  type CircuitStateName,
  FakeClock,
  InvalidPolicyOptionError,
  TimeoutError,
  TimeoutPolicy,
  buildDependency,
  wrap,
} from '../src/index.js';

const boom = new Error('dependency failed');

function breaker(options: Omit<CircuitBreakerOptions, 'clock'>, clock = new FakeClock(1_000_000)) {
  const policy = new CircuitBreakerPolicy({ ...options, clock });
  const changes: string[] = [];
  policy.events.on('stateChange', ({ from, to }) => changes.push(`${from}->${to}`));
  const ok = () => policy.execute(() => 'ok');
  const fail = () => policy.execute(() => Promise.reject(boom)).catch((error: unknown) => error);
  /** Starts a call that runs until its caller walks away; `abort()` settles it. */
  const abandoned = () => {
    const caller = new AbortController();
    const call = policy.execute(({ signal }) => untilAborted(signal), caller.signal).catch((error: unknown) => error);
    return { abort: () => (caller.abort(new Error('caller left')), call) };
  };
  return { policy, clock, changes, ok, fail, abandoned };
}

const untilAborted = (signal: AbortSignal) => new Promise<never>((_, reject) => signal.addEventListener('abort', () => reject(signal.reason), { once: true }));

describe('consecutive breaker', () => {
  it('closed → open after N failures in a row; a success in between starts the count over', async () => {
    const { policy, fail, ok, changes } = breaker({ window: { type: 'consecutive', failureThreshold: 3 }, openDuration: 1_000 });
    await fail();
    await fail();
    await ok();
    await fail();
    await fail();
    expect(policy.state).toBe('closed');
    expect(await fail()).toBe(boom);
    expect(policy.state).toBe('open');
    expect(changes).toEqual(['closed->open']);
  });

  it('open rejects with BrokenCircuitError without calling, then half-open → closed on a good probe', async () => {
    const { policy, fail, clock, changes } = breaker({ window: { type: 'consecutive', failureThreshold: 1 }, openDuration: 1_000 });
    await fail();
    let called = false;
    const rejected = await policy.execute(() => (called = true)).catch((error: unknown) => error);
    expect(rejected).toBeInstanceOf(BrokenCircuitError);
    expect((rejected as BrokenCircuitError).retryAfterMs).toBe(1_000);
    expect(called).toBe(false);
    clock.tick(999);
    expect(policy.state).toBe('open');
    clock.tick(1);
    expect(policy.state).toBe('half-open');
    expect(await policy.execute(() => 'probe')).toBe('probe');
    expect(policy.state).toBe('closed');
    expect(changes).toEqual(['closed->open', 'open->half-open', 'half-open->closed']);
  });

  it('half-open → open on a failed probe, for a fresh open duration', async () => {
    const { policy, fail, clock, changes } = breaker({ window: { type: 'consecutive', failureThreshold: 1 }, openDuration: 500 });
    await fail();
    clock.tick(500);
    expect(await fail()).toBe(boom);
    expect(policy.state).toBe('open');
    clock.tick(499);
    expect(policy.state).toBe('open');
    clock.tick(1);
    expect(policy.state).toBe('half-open');
    expect(changes).toEqual(['closed->open', 'open->half-open', 'half-open->open', 'open->half-open']);
  });
});

describe('count-window breaker', () => {
  const options = { window: { type: 'count', size: 10 }, minimumCalls: 5, failureRateThreshold: 0.5, openDuration: 1_000 } as const;

  it('does not judge before minimumCalls, then opens when the failure rate reaches the threshold', async () => {
    const { policy, fail, ok } = breaker(options);
    for (let i = 0; i < 4; i++) await fail();
    expect(policy.state).toBe('closed');
    await ok();
    // 4 failures of 5 calls = 80%: the fifth call (a success) reaches minimumCalls and opens it.
    expect(policy.state).toBe('open');
  });

  it('stays closed below the threshold and forgets calls that slid out of the window', async () => {
    const { policy, fail, ok } = breaker(options);
    for (let i = 0; i < 6; i++) await ok();
    for (let i = 0; i < 4; i++) await fail();
    expect(policy.metrics()).toMatchObject({ calls: 10, failures: 4 });
    expect(policy.state).toBe('closed');
    for (let i = 0; i < 10; i++) await ok(); // the four failures slide out
    expect(policy.metrics()).toMatchObject({ calls: 10, failures: 0 });
    for (let i = 0; i < 4; i++) await fail();
    expect(policy.state).toBe('closed'); // 4/10
    await fail();
    expect(policy.state).toBe('open'); // 5/10
  });

  it('half-open admits exactly N probes and closes when their failure rate is below the threshold', async () => {
    const { policy, fail, ok, clock, changes } = breaker({ ...options, halfOpenProbes: 3 });
    for (let i = 0; i < 5; i++) await fail();
    clock.tick(1_000);
    await fail();
    await ok();
    expect(policy.state).toBe('half-open');
    await ok(); // 1 of 3 failed = 33% < 50%
    expect(policy.state).toBe('closed');
    expect(policy.metrics().calls).toBe(0); // a closed breaker starts with an empty window
    expect(changes).toEqual(['closed->open', 'open->half-open', 'half-open->closed']);
  });

  it('half-open → open when the probes fail at the threshold rate', async () => {
    const { policy, fail, ok, clock } = breaker({ ...options, halfOpenProbes: 2 });
    for (let i = 0; i < 5; i++) await fail();
    clock.tick(1_000);
    await ok();
    await fail();
    expect(policy.state).toBe('open');
  });
});

describe('time-window breaker', () => {
  const options = { window: { type: 'time', durationMs: 10_000, buckets: 10 }, minimumCalls: 4, failureRateThreshold: 0.5, openDuration: 2_000 } as const;

  it('counts only the last durationMs: old failures expire bucket by bucket', async () => {
    const { policy, fail, ok, clock } = breaker(options);
    await fail();
    await fail();
    await fail();
    clock.tick(9_000);
    expect(policy.metrics()).toMatchObject({ calls: 3, failures: 3 });
    clock.tick(1_000);
    expect(policy.metrics()).toMatchObject({ calls: 0, failures: 0 });
    await ok();
    await ok();
    await ok();
    await fail();
    expect(policy.state).toBe('closed'); // 1 of 4
    await fail();
    await fail();
    expect(policy.state).toBe('open'); // 3 of 6
  });

  it('a long idle gap clears the whole window without any timer', async () => {
    const { policy, fail, clock } = breaker(options);
    await fail();
    await fail();
    await fail();
    clock.tick(3_600_000);
    expect(policy.metrics().calls).toBe(0);
    expect(clock.pendingTimers).toBe(0);
  });

  it('open → half-open → closed, and open again on a failed probe', async () => {
    const { policy, fail, ok, clock, changes } = breaker(options);
    for (let i = 0; i < 4; i++) await fail();
    expect(policy.state).toBe('open');
    clock.tick(2_000);
    await ok();
    expect(policy.state).toBe('closed');
    for (let i = 0; i < 4; i++) await fail();
    clock.tick(2_000);
    await fail();
    expect(policy.state).toBe('open');
    expect(changes).toEqual(['closed->open', 'open->half-open', 'half-open->closed', 'closed->open', 'open->half-open', 'half-open->open']);
  });
});

describe('slow calls', () => {
  it('open the breaker when the slow-call rate reaches its threshold, even if every call succeeds', async () => {
    const clock = new FakeClock();
    const policy = new CircuitBreakerPolicy({
      window: { type: 'count', size: 10 },
      minimumCalls: 4,
      slowCallDurationMs: 100,
      slowCallRateThreshold: 0.5,
      clock,
    });
    const slow = () =>
      policy.execute(async () => {
        clock.tick(150);
        return 'slow but fine';
      });
    await policy.execute(() => 'fast');
    await policy.execute(() => 'fast');
    expect(await slow()).toBe('slow but fine');
    expect(policy.state).toBe('closed');
    await slow();
    expect(policy.metrics()).toMatchObject({ calls: 4, failures: 0, slowCalls: 2 });
    expect(policy.state).toBe('open');
  });
});

describe('half-open under a burst', () => {
  it('lets exactly N of 1,000 concurrent callers through and rejects the rest', async () => {
    const { policy, fail, clock } = breaker({ window: { type: 'count', size: 10 }, minimumCalls: 1, halfOpenProbes: 5, openDuration: 1_000 });
    await fail();
    clock.tick(1_000);
    let running = 0;
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const calls = Array.from({ length: 1_000 }, () =>
      policy.execute(async () => {
        running++;
        await gate;
        return 'probe';
      }),
    );
    expect(running).toBe(5);
    release();
    const results = await Promise.allSettled(calls);
    const fulfilled = results.filter((result) => result.status === 'fulfilled');
    const rejected = results.filter((result) => result.status === 'rejected');
    expect(fulfilled).toHaveLength(5);
    expect(rejected).toHaveLength(995);
    expect(rejected.every((result) => (result as PromiseRejectedResult).reason instanceof BrokenCircuitError)).toBe(true);
    expect(policy.state).toBe('closed');
  });
});

describe('manual control and modes', () => {
  it('isolate holds it open past any duration; reset closes it with an empty window', async () => {
    const { policy, ok, fail, clock, changes } = breaker({ window: { type: 'count', size: 10 }, minimumCalls: 3, openDuration: 10 });
    await fail();
    policy.isolate();
    clock.tick(1_000_000);
    expect(policy.state).toBe('isolated');
    expect(await ok().catch((error: unknown) => error)).toMatchObject({ state: 'isolated' });
    policy.reset();
    expect(policy.state).toBe('closed');
    expect(policy.metrics().calls).toBe(0);
    expect(changes).toEqual(['closed->isolated', 'isolated->closed']);
  });

  it('disabled admits everything and records nothing', async () => {
    const { policy, fail } = breaker({ window: { type: 'consecutive', failureThreshold: 1 }, mode: 'disabled' });
    for (let i = 0; i < 10; i++) expect(await fail()).toBe(boom);
    expect(policy.state).toBe('disabled');
    expect(policy.metrics().failures).toBe(0);
  });

  it('metrics-only records the rates but never rejects nor changes state', async () => {
    const { policy, fail, changes } = breaker({ window: { type: 'count', size: 10 }, minimumCalls: 2 });
    policy.metricsOnly();
    for (let i = 0; i < 10; i++) expect(await fail()).toBe(boom);
    expect(policy.state).toBe('metrics-only');
    expect(policy.metrics()).toMatchObject({ calls: 10, failures: 10, failureRate: 1 });
    expect(changes).toEqual(['closed->metrics-only']);
  });

  it('open duration follows a backoff over consecutive openings and resets once closed', async () => {
    const { policy, fail, ok, clock } = breaker({
      window: { type: 'consecutive', failureThreshold: 1 },
      openDuration: { type: 'exponential', initialDelayMs: 100, maxDelayMs: 350, jitter: 'none' },
    });
    const openFor = async (): Promise<number> => {
      let elapsed = 0;
      while (policy.state === 'open') {
        clock.tick(10);
        elapsed += 10;
      }
      return elapsed;
    };
    await fail();
    expect(await openFor()).toBe(100);
    await fail();
    expect(await openFor()).toBe(200);
    await fail();
    expect(await openFor()).toBe(350);
    await ok();
    await fail();
    expect(await openFor()).toBe(100);
  });

  it('does not count the caller cancelling as a dependency failure', async () => {
    const { policy } = breaker({ window: { type: 'consecutive', failureThreshold: 1 } });
    const controller = new AbortController();
    const call = policy.execute(({ signal }) => new Promise((_, reject) => signal.addEventListener('abort', () => reject(signal.reason))), controller.signal);
    controller.abort(new Error('client went away'));
    await expect(call).rejects.toThrow('client went away');
    expect(policy.state).toBe('closed');
  });

  it('ignores results of calls admitted before a transition', async () => {
    const { policy, clock } = breaker({ window: { type: 'consecutive', failureThreshold: 1 }, openDuration: 100 });
    let finishLate!: (error: Error) => void;
    const late = policy.execute(() => new Promise((_, reject) => (finishLate = reject))).catch(() => 'late');
    await policy.execute(() => Promise.reject(boom)).catch(() => undefined);
    clock.tick(100);
    await policy.execute(() => 'probe'); // closes
    finishLate(boom);
    await late;
    expect(policy.state).toBe('closed');
  });
});

describe('outcomes that count neither way', () => {
  const clientFault = new Error('client sent too much');
  const rate = { window: { type: 'count', size: 10 }, minimumCalls: 4, failureRateThreshold: 0.5, openDuration: 1_000 } as const;

  it('leaves the failure-rate window untouched when callers abort', async () => {
    const { policy, fail, abandoned } = breaker(rate);
    await fail();
    await fail();
    await abandoned().abort();
    await abandoned().abort();
    expect(policy.metrics()).toMatchObject({ calls: 2, failures: 2 });
    await fail();
    await fail();
    expect(policy.state).toBe('open'); // 4 of 4, not 4 of 6
  });

  it('does not break a run of consecutive failures with an abort', async () => {
    const { policy, fail, abandoned } = breaker({ window: { type: 'consecutive', failureThreshold: 2 } });
    await fail();
    await abandoned().abort();
    await fail();
    expect(policy.state).toBe('open');
  });

  it('an aborted probe leaves the breaker half-open and hands its slot to the next probe', async () => {
    const { policy, fail, abandoned, clock, changes } = breaker({ window: { type: 'consecutive', failureThreshold: 1 }, openDuration: 1_000 });
    await fail();
    clock.tick(1_000);
    const probe = abandoned();
    await expect(policy.execute(() => 'second')).rejects.toBeInstanceOf(BrokenCircuitError);
    await probe.abort();
    expect(policy.state).toBe('half-open');
    expect(await policy.execute(() => 'next probe')).toBe('next probe');
    expect(policy.state).toBe('closed');
    expect(changes).toEqual(['closed->open', 'open->half-open', 'half-open->closed']);
  });

  it('an aborted probe among several is not judged with the others', async () => {
    const { policy, fail, ok, abandoned, clock } = breaker({ ...rate, halfOpenProbes: 2 });
    for (let i = 0; i < 4; i++) await fail();
    clock.tick(1_000);
    await ok();
    await abandoned().abort();
    expect(policy.state).toBe('half-open');
    await fail(); // 1 of 2 judged probes failed = 50%
    expect(policy.state).toBe('open');
  });

  it('an ignored classification neither closes a half-open breaker nor enters the window', async () => {
    const { policy, fail, clock } = breaker({ ...rate, isIgnored: (error) => error === clientFault });
    const faulty = () => policy.execute(() => Promise.reject(clientFault)).catch((error: unknown) => error);
    await fail();
    expect(await faulty()).toBe(clientFault);
    expect(policy.metrics()).toMatchObject({ calls: 1, failures: 1 });
    for (let i = 0; i < 3; i++) await fail();
    expect(policy.state).toBe('open');
    clock.tick(1_000);
    await faulty();
    expect(policy.state).toBe('half-open');
    await faulty();
    expect(policy.state).toBe('half-open');
    expect(await policy.execute(() => 'healthy')).toBe('healthy');
    expect(policy.state).toBe('closed');
  });

  it('lets isIgnored win over isFailure', async () => {
    const { policy } = breaker({ ...rate, isFailure: () => true, isIgnored: (error) => error === clientFault });
    await policy.execute(() => Promise.reject(clientFault)).catch(() => undefined);
    expect(policy.metrics().calls).toBe(0);
  });

  it('counts an attempt cut off by the whole-call deadline as a failure', async () => {
    const clock = new FakeClock();
    const { policy, breaker: deadlineBreaker } = buildDependency(
      'slow',
      { deadlineMs: 100, timeoutMs: 2_000, retry: false, breaker: { window: { type: 'consecutive', failureThreshold: 1 } } },
      clock,
    );
    const call = policy.execute(({ signal }) => untilAborted(signal)).catch((error: unknown) => error);
    await clock.advance(100);
    expect(await call).toBeInstanceOf(TimeoutError);
    expect(deadlineBreaker!.state).toBe('open');
  });

  it('counts a deadline failure but not a caller who walked away, through the same pipeline', async () => {
    const clock = new FakeClock();
    const subject = new CircuitBreakerPolicy({ window: { type: 'consecutive', failureThreshold: 1 }, clock });
    const pipeline = wrap(new TimeoutPolicy({ timeoutMs: 100, strategy: 'aggressive', clock }), subject, new TimeoutPolicy({ timeoutMs: 2_000, clock }));
    const caller = new AbortController();
    const walkedAway = pipeline.execute(({ signal }) => untilAborted(signal), caller.signal).catch((error: unknown) => error);
    caller.abort(new Error('caller left'));
    await walkedAway;
    await clock.advance(0);
    expect(subject.state).toBe('closed');
    const slow = pipeline.execute(({ signal }) => untilAborted(signal)).catch((error: unknown) => error);
    await clock.advance(100);
    expect(await slow).toBeInstanceOf(TimeoutError);
    expect(subject.state).toBe('open');
  });
});

describe('snapshot and restore', () => {
  it('carries state, remaining open time and the window across instances', async () => {
    const options = { window: { type: 'count', size: 10 }, minimumCalls: 4, failureRateThreshold: 0.7, openDuration: 1_000 } as const;
    const first = breaker(options);
    await first.fail();
    await first.fail();
    await first.ok();
    const closed = first.policy.snapshot();
    expect(closed).toMatchObject({ state: 'closed', window: [1, 1, 0] });
    const second = breaker(options, first.clock);
    second.policy.restore(closed);
    expect(second.policy.metrics()).toMatchObject({ calls: 3, failures: 2 });
    await first.fail();
    first.clock.tick(400);
    const open = JSON.parse(JSON.stringify(first.policy.snapshot()));
    expect(open).toMatchObject({ state: 'open', openRemainingMs: 600, openings: 1 });
    const third = new CircuitBreakerPolicy({ window: { type: 'count', size: 10 }, openDuration: 1_000, clock: first.clock, initialState: open });
    expect(third.state).toBe('open');
    first.clock.tick(600);
    expect(third.state).toBe('half-open');
  });

  it('restores a time window bucket by bucket', async () => {
    const { policy, fail, ok, clock } = breaker({ window: { type: 'time', durationMs: 10_000, buckets: 10 }, minimumCalls: 100 });
    await fail();
    clock.tick(5_000);
    await ok();
    const copy = new CircuitBreakerPolicy({ window: { type: 'time', durationMs: 10_000, buckets: 10 }, minimumCalls: 100, clock, initialState: policy.snapshot() });
    expect(copy.metrics()).toMatchObject({ calls: 2, failures: 1 });
    clock.tick(5_000);
    expect(copy.metrics()).toMatchObject({ calls: 1, failures: 0 });
  });
});

describe('breaker options', () => {
  const cases: [string, Partial<CircuitBreakerOptions>, string][] = [
    ['a failure rate above 1', { failureRateThreshold: 1.5 }, 'circuitBreaker.failureRateThreshold'],
    ['a zero slow-call rate', { slowCallRateThreshold: 0 }, 'circuitBreaker.slowCallRateThreshold'],
    ['zero probes', { halfOpenProbes: 0 }, 'circuitBreaker.halfOpenProbes'],
    ['a negative open duration', { openDuration: -1 }, 'circuitBreaker.openDuration'],
    ['a window of size 0', { window: { type: 'count', size: 0 } }, 'circuitBreaker.window.size'],
    ['an unknown window type', { window: { type: 'rolling' } as never }, 'circuitBreaker.window.type'],
    ['a negative slow-call duration', { slowCallDurationMs: -5 }, 'circuitBreaker.slowCallDurationMs'],
    ['an unknown mode', { mode: 'off' as never }, 'circuitBreaker.mode'],
    ['an isIgnored that is not a function', { isIgnored: 'client' as never }, 'circuitBreaker.isIgnored'],
  ];
  it.each(cases)('rejects %s at build time, naming the option', (_label, override, option) => {
    const build = () => new CircuitBreakerPolicy({ window: { type: 'count', size: 10 }, ...override });
    expect(build).toThrow(InvalidPolicyOptionError);
    expect(build).toThrow(new RegExp(`^${option.replace(/\./g, '\\.')} `));
  });

  it('holds no timer in any state', async () => {
    const { policy, fail, clock } = breaker({ window: { type: 'time', durationMs: 1_000 }, minimumCalls: 1 });
    await fail();
    const states: CircuitStateName[] = [policy.state];
    clock.tick(30_000);
    states.push(policy.state);
    expect(states).toEqual(['open', 'half-open']);
    expect(clock.pendingTimers).toBe(0);
  });
});
