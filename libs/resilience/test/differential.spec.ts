/**
 * Differential tests: the same scenario scripts run against our breaker and against cockatiel's
 * and opossum's, where their semantics match, and the traces (outcome and state after every call)
 * must be identical. Time is faked for all of them through vitest's fake `Date` and timers.
 */
import { BrokenCircuitError as CockatielBroken, CircuitState, ConsecutiveBreaker, SamplingBreaker, circuitBreaker, handleAll } from 'cockatiel';
import CircuitBreaker from 'opossum';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { BrokenCircuitError, type CircuitBreakerOptions, CircuitBreakerPolicy, type Clock, systemClock } from '../src/index.js';

/** A call that succeeds, a call that fails, or a pause in ms. */
type Step = 'ok' | 'fail' | number;
interface Subject {
  call(ok: boolean): Promise<string>;
  state(): string;
  dispose?(): void;
}

const dateClock: Clock = { ...systemClock, now: () => Date.now() };
const failure = () => Promise.reject(new Error('failed'));

async function trace(subject: Subject, script: readonly Step[]): Promise<string[]> {
  const out: string[] = [];
  for (const step of script) {
    if (typeof step === 'number') {
      await vi.advanceTimersByTimeAsync(step);
      continue;
    }
    out.push(`${await subject.call(step === 'ok')}/${subject.state()}`);
  }
  subject.dispose?.();
  return out;
}

function ours(options: Omit<CircuitBreakerOptions, 'clock'>): Subject {
  const policy = new CircuitBreakerPolicy({ ...options, clock: dateClock });
  return {
    call: (ok) =>
      policy.execute(() => (ok ? 1 : failure())).then(
        () => 'ok',
        (error: unknown) => (error instanceof BrokenCircuitError ? 'rejected' : 'fail'),
      ),
    state: () => policy.state,
  };
}

const cockatielStates: Record<number, string> = {
  [CircuitState.Closed]: 'closed',
  [CircuitState.Open]: 'open',
  [CircuitState.HalfOpen]: 'half-open',
  [CircuitState.Isolated]: 'isolated',
};

function cockatiel(breaker: ConsecutiveBreaker | SamplingBreaker, halfOpenAfter: number): Subject {
  const policy = circuitBreaker(handleAll, { halfOpenAfter, breaker });
  return {
    call: (ok) =>
      policy.execute(() => (ok ? 1 : failure())).then(
        () => 'ok',
        (error: unknown) => (error instanceof CockatielBroken ? 'rejected' : 'fail'),
      ),
    state: () => cockatielStates[policy.state],
  };
}

function opossum(options: CircuitBreaker.Options): Subject {
  const breaker = new CircuitBreaker((ok: boolean) => (ok ? Promise.resolve(1) : failure()), options);
  return {
    call: (ok) =>
      breaker.fire(ok).then(
        () => 'ok',
        (error: { code?: string }) => (error.code === 'EOPENBREAKER' ? 'rejected' : 'fail'),
      ),
    state: () => (breaker.opened ? 'open' : breaker.halfOpen ? 'half-open' : 'closed'),
    dispose: () => breaker.shutdown(),
  };
}

/** mulberry32: reproducible scripts. */
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

async function agree(script: readonly Step[], left: () => Subject, right: () => Subject): Promise<string[]> {
  vi.setSystemTime(1_000_000_000_000);
  const a = await trace(left(), script);
  vi.setSystemTime(1_000_000_000_000);
  const b = await trace(right(), script);
  expect(a, `script ${JSON.stringify(script)}`).toEqual(b);
  return a;
}

beforeEach(() => {
  vi.useFakeTimers({ toFake: ['Date', 'setTimeout', 'clearTimeout', 'setInterval', 'clearInterval'] });
  vi.setSystemTime(1_000_000_000_000);
});
afterEach(() => {
  vi.useRealTimers();
});

describe('consecutive breaker vs cockatiel ConsecutiveBreaker', () => {
  const threshold = 3;
  const halfOpenAfter = 1_000;
  const mine = () => ours({ window: { type: 'consecutive', failureThreshold: threshold }, openDuration: halfOpenAfter });
  const theirs = () => cockatiel(new ConsecutiveBreaker(threshold), halfOpenAfter);

  it('agrees on a hand-written scenario: open, reject, probe fails, probe succeeds', async () => {
    const script: Step[] = ['fail', 'fail', 'ok', 'fail', 'fail', 'fail', 'ok', 999, 'ok', 1, 'fail', 'ok', 1_000, 'ok', 'fail', 'fail', 'ok'];
    const result = await agree(script, mine, theirs);
    expect(result).toEqual([
      'fail/closed', 'fail/closed', 'ok/closed', 'fail/closed', 'fail/closed', 'fail/open', 'rejected/open',
      'rejected/open', 'fail/open', 'rejected/open', 'ok/closed', 'fail/closed', 'fail/closed', 'ok/closed',
    ]);
  });

  it('agrees on 300 random scripts of calls and pauses', async () => {
    const random = seeded(2026);
    for (let n = 0; n < 300; n++) {
      const script: Step[] = [];
      for (let i = 0; i < 40; i++) {
        const r = random();
        script.push(r < 0.45 ? 'fail' : r < 0.85 ? 'ok' : Math.floor(random() * 1_500));
      }
      await agree(script, mine, theirs);
    }
  });
});

describe('time-window breaker vs cockatiel SamplingBreaker', () => {
  const duration = 5_000;
  const minimumRps = 3;
  // cockatiel stays closed while total < duration × minimumRps / 1000; find the first total that can open it.
  let minimumCalls = 1;
  while (minimumCalls < duration * (minimumRps / 1000)) minimumCalls++;
  const threshold = 0.37; // never met exactly with fewer than 100 calls, so ">" and ">=" agree
  const halfOpenAfter = 6_000;
  const mine = () =>
    ours({ window: { type: 'time', durationMs: duration, buckets: 5 }, minimumCalls, failureRateThreshold: threshold, openDuration: halfOpenAfter });
  const theirs = () => cockatiel(new SamplingBreaker({ threshold, duration, minimumRps }), halfOpenAfter);

  /** Steady traffic, one call every 100 ms, so every 1 s bucket sees calls (cockatiel rotates a bucket only when called). */
  const steady = (outcomes: readonly ('ok' | 'fail')[]): Step[] => outcomes.flatMap((outcome) => [outcome, 100] as Step[]);

  it('agrees when failures age out of the window bucket by bucket', async () => {
    const script = steady([...Array(5).fill('fail'), ...Array(45).fill('ok'), ...Array(30).fill('fail')]);
    const result = await agree(script, mine, theirs);
    // The first five failures have left the window by the time the later ones arrive.
    expect(result.indexOf('fail/open')).toBeGreaterThan(50);
  });

  it('agrees on open, reject, failed probe, and a successful probe that closes', async () => {
    const script: Step[] = [...steady(Array(20).fill('fail')), 'ok', halfOpenAfter, 'fail', 'ok', halfOpenAfter, 'ok', 'ok', 'fail'];
    const result = await agree(script, mine, theirs);
    expect(result.slice(-6)).toEqual(['rejected/open', 'fail/open', 'rejected/open', 'ok/closed', 'ok/closed', 'fail/closed']);
  });

  it('agrees on 200 random steady-traffic scripts up to the opening', async () => {
    const random = seeded(7);
    let identical = 0;
    for (let n = 0; n < 200; n++) {
      const outcomes: ('ok' | 'fail')[] = [];
      for (let phase = 0; phase < 5; phase++) {
        const failRate = random() * 0.6;
        for (let i = 0; i < 30; i++) outcomes.push(random() < failRate ? 'fail' : 'ok');
      }
      vi.setSystemTime(1_000_000_000_000);
      const a = await trace(stopAtOpen(mine()), steady(outcomes));
      vi.setSystemTime(1_000_000_000_000);
      const b = await trace(stopAtOpen(theirs()), steady(outcomes));
      const openedA = a.findIndex((entry) => entry.endsWith('/stopped'));
      const openedB = b.findIndex((entry) => entry.endsWith('/stopped'));
      const agreedUpTo = Math.min(openedA < 0 ? a.length : openedA, openedB < 0 ? b.length : openedB);
      expect(a.slice(0, agreedUpTo)).toEqual(b.slice(0, agreedUpTo));
      if (openedA === openedB) {
        identical++;
        continue;
      }
      // The one permitted difference: a bucket expiring lifts the failure rate and we open on that
      // call, a success; cockatiel judges only on failures, so it opens on a later failure, if any.
      expect(outcomes[openedA]).toBe('ok');
      if (openedB >= 0) {
        expect(openedB).toBeGreaterThan(openedA);
        expect(outcomes[openedB]).toBe('fail');
      }
    }
    // Most scripts (142 of 200 with this seed) open on exactly the same call.
    expect(identical).toBeGreaterThan(100);
  });
});

/** After the breaker opens, the rest of the script is skipped (cockatiel reports open → half-open only when called). */
function stopAtOpen(subject: Subject): Subject {
  let opened = false;
  return {
    state: () => (opened ? 'stopped' : subject.state()),
    call: async (ok) => {
      if (opened) return 'skipped';
      const result = await subject.call(ok);
      opened = subject.state() === 'open';
      return result;
    },
  };
}

describe('time-window breaker vs opossum', () => {
  const options = { rollingCountTimeout: 5_000, rollingCountBuckets: 5, volumeThreshold: 8, errorThresholdPercentage: 37, resetTimeout: 6_000 };
  const mine = () =>
    ours({ window: { type: 'time', durationMs: 5_000, buckets: 5 }, minimumCalls: 8, failureRateThreshold: 0.37, openDuration: 6_000 });
  const theirs = () => opossum({ ...options, timeout: false });

  it('agrees on 200 random scripts (no calls while open: opossum counts rejections as calls)', async () => {
    const random = seeded(99);
    for (let n = 0; n < 200; n++) {
      const script: Step[] = [];
      for (let phase = 0; phase < 3; phase++) {
        // A probe (or a plain success) that then ages out: opossum keeps a closing probe in its window, we start empty.
        script.push('ok', 6_000, ...Array<Step>(8).fill('ok'));
        const failRate = random();
        // Stop a phase as soon as it would open: the breakers agree on the first call after that only if nobody calls.
        for (let i = 0; i < 30; i++) script.push(random() < failRate ? 'fail' : 'ok');
        script.push(6_000);
      }
      const left = await traceUntilOpen(script, mine);
      const right = await traceUntilOpen(script, theirs);
      expect(left, JSON.stringify(script)).toEqual(right);
    }
  });

  it('agrees on open → half-open → closed and on a failed probe', async () => {
    const script: Step[] = [...Array<Step>(8).fill('ok'), ...Array<Step>(5).fill('fail'), 6_000, 'fail', 6_000, 'ok', 'ok'];
    const result = await agree(script, mine, theirs);
    expect(result.slice(-3)).toEqual(['fail/open', 'ok/closed', 'ok/closed']);
  });
});

/** Runs a script but skips call steps while the subject is open (pauses still run). */
async function traceUntilOpen(script: readonly Step[], make: () => Subject): Promise<string[]> {
  vi.setSystemTime(1_000_000_000_000);
  const subject = make();
  const out: string[] = [];
  for (const step of script) {
    if (typeof step === 'number') await vi.advanceTimersByTimeAsync(step);
    else if (subject.state() !== 'open') out.push(`${await subject.call(step === 'ok')}/${subject.state()}`);
  }
  subject.dispose?.();
  return out;
}

describe('where semantics differ on purpose', () => {
  it('we judge the rate after every call (resilience4j); cockatiel only after a failure', async () => {
    // The fifth call reaches minimumCalls with 4 of 5 failed: resilience4j semantics open on it.
    const script: Step[] = ['fail', 'fail', 'fail', 'fail', 'ok'];
    vi.setSystemTime(1_000_000_000_000);
    const mine = await trace(ours({ window: { type: 'time', durationMs: 5_000, buckets: 5 }, minimumCalls: 5, failureRateThreshold: 0.37 }), script);
    vi.setSystemTime(1_000_000_000_000);
    const theirs = await trace(cockatiel(new SamplingBreaker({ threshold: 0.37, duration: 5_000, minimumRps: 1 }), 1_000), script);
    expect(mine.at(-1)).toBe('ok/open');
    expect(theirs.at(-1)).toBe('ok/closed');
  });

  it('our buckets expire by the clock; cockatiel rotates one bucket per call, so an idle gap keeps old failures', async () => {
    const script: Step[] = [...Array<Step>(5).fill('fail'), 1_000, ...Array<Step>(10).fill('ok'), 4_000, 'fail'];
    const options = { window: { type: 'time', durationMs: 5_000, buckets: 5 }, minimumCalls: 15, failureRateThreshold: 0.37 } as const;
    vi.setSystemTime(1_000_000_000_000);
    const mine = await trace(ours(options), script);
    vi.setSystemTime(1_000_000_000_000);
    const theirs = await trace(cockatiel(new SamplingBreaker({ threshold: 0.37, duration: 5_000, minimumRps: 2 }), 1_000), script);
    // Ours: the first second's five failures have expired, 1 of 11 failed. cockatiel still counts them: 6 of 16.
    expect(mine.at(-1)).toBe('fail/closed');
    expect(theirs.at(-1)).toBe('fail/open');
  });
});
