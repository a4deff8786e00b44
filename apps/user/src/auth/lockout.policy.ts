import type { Lockout } from '../users/user.schema.js';

export interface LockoutSettings {
  threshold: number;
  windowMs: number;
  /** First lock; the n-th lock since the last successful login lasts duration × 2^(n-1). */
  durationMs: number;
}

export interface FailureOutcome {
  lockout: Lockout;
  /** Set when this failure locked the account. */
  lockedForMs?: number;
}

export function isLocked(lockout: Lockout | undefined, now: Date): boolean {
  return Boolean(lockout?.lockedUntil && lockout.lockedUntil > now);
}

/** Counts a failed login inside a fixed window that starts at its first failure. */
export function afterFailure(current: Lockout | undefined, now: Date, settings: LockoutSettings): FailureOutcome {
  const windowOpen = current?.windowStartedAt && now.getTime() - current.windowStartedAt.getTime() < settings.windowMs;
  const failures = windowOpen ? current.failures + 1 : 1;
  const windowStartedAt = windowOpen ? current.windowStartedAt : now;
  const lockCount = current?.lockCount ?? 0;
  if (failures < settings.threshold) return { lockout: { failures, windowStartedAt, lockCount, lockedUntil: current?.lockedUntil } };
  const lockedForMs = settings.durationMs * 2 ** lockCount;
  return { lockout: { failures: 0, lockCount: lockCount + 1, lockedUntil: new Date(now.getTime() + lockedForMs) }, lockedForMs };
}
