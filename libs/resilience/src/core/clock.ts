/** Handle returned by {@link Clock.setTimeout}; Node timers expose ref/unref, fakes may not. */
export interface TimerHandle {
  ref?(): unknown;
  unref?(): unknown;
}

/**
 * Time source for every policy. Injected so tests can drive breakers, backoffs and deadlines
 * deterministically; production uses {@link systemClock}.
 */
export interface Clock {
  /** Monotonic milliseconds: durations, deadlines, breaker windows. */
  now(): number;
  /** Wall-clock epoch milliseconds: only for HTTP dates such as `Retry-After`. */
  epochNow(): number;
  setTimeout(callback: () => void, ms: number): TimerHandle;
  clearTimeout(handle: TimerHandle): void;
}

/** Monotonic time from `performance.now()`, so a wall-clock jump never opens or closes a breaker. */
export const systemClock: Clock = {
  now: () => performance.now(),
  epochNow: () => Date.now(),
  setTimeout: (callback, ms) => setTimeout(callback, ms),
  clearTimeout: (handle) => clearTimeout(handle as ReturnType<typeof setTimeout>),
};
