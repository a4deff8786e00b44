import type { Clock, TimerHandle } from './clock.js';

interface FakeTimer extends TimerHandle {
  id: number;
  at: number;
  callback: () => void;
}

/** Lets queued promise reactions run, so code awaiting a fired timer continues before the next one. */
const settle = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

/**
 * A deterministic {@link Clock} for tests: time moves only through {@link advance}, and every
 * timer it hands out is counted, so a test can prove none is left behind.
 */
export class FakeClock implements Clock {
  private time: number;
  private nextId = 1;
  private readonly timers = new Map<number, FakeTimer>();

  constructor(
    start = 0,
    private readonly epochOffset = Date.UTC(2026, 0, 1),
  ) {
    this.time = start;
  }

  now(): number {
    return this.time;
  }

  epochNow(): number {
    return this.epochOffset + this.time;
  }

  setTimeout(callback: () => void, ms: number): TimerHandle {
    const timer: FakeTimer = { id: this.nextId++, at: this.time + Math.max(0, ms), callback };
    this.timers.set(timer.id, timer);
    return timer;
  }

  clearTimeout(handle: TimerHandle): void {
    this.timers.delete((handle as FakeTimer).id);
  }

  /** Timers scheduled and neither fired nor cleared. */
  get pendingTimers(): number {
    return this.timers.size;
  }

  /** Moves time forward, firing due timers in order and letting promise reactions run between them. */
  async advance(ms: number): Promise<void> {
    const target = this.time + ms;
    await settle();
    for (;;) {
      const due = this.nextDue(target);
      if (!due) break;
      this.timers.delete(due.id);
      this.time = Math.max(this.time, due.at);
      due.callback();
      await settle();
    }
    this.time = target;
    await settle();
  }

  /** Moves time without firing anything: for breakers and windows, which read the clock lazily. */
  tick(ms: number): void {
    this.time += ms;
  }

  private nextDue(target: number): FakeTimer | undefined {
    let due: FakeTimer | undefined;
    for (const timer of this.timers.values()) {
      if (timer.at <= target && (!due || timer.at < due.at || (timer.at === due.at && timer.id < due.id))) due = timer;
    }
    return due;
  }
}
