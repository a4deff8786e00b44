import type { FailureWindow } from '../users/user.repository.js';
import type { Lockout } from '../users/user.schema.js';

export interface LockoutSettings {
  threshold: number;
  windowMs: number;
  /** First lock; the n-th lock since the last successful login lasts duration × 2^(n-1). */
  durationMs: number;
}

export interface LockTerms {
  lockedForMs: number;
  lockedUntil: Date;
  windowRestartedAt: Date;
}

export function isLocked(lockout: Lockout | undefined, now: Date): boolean {
  return Boolean(lockout?.lockedUntil && lockout.lockedUntil > now);
}

/** The fixed window a failure at `now` counts in: the one opened by the first failure less than `windowMs` ago. */
export function failureWindow(now: Date, settings: LockoutSettings): FailureWindow {
  return { now, openedAfter: new Date(now.getTime() - settings.windowMs) };
}

/** Exactly the threshold: later failures of the same window raced the lock and must not lock again. */
export function reachesThreshold(lockout: Lockout, settings: LockoutSettings): boolean {
  return lockout.failures === settings.threshold;
}

/** The lock doubles with each one since the last successful login; the window then lasts as long as the lock. */
export function lockTerms(lockout: Lockout, now: Date, settings: LockoutSettings): LockTerms {
  const lockedForMs = settings.durationMs * 2 ** (lockout.lockCount ?? 0);
  const lockedUntil = new Date(now.getTime() + lockedForMs);
  return { lockedForMs, lockedUntil, windowRestartedAt: new Date(lockedUntil.getTime() - settings.windowMs) };
}
