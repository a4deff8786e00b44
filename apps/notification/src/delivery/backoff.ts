/**
 * Delay before retry number `attemptsMade` (1-based): the configured step (seed 1 s, 5 s, 30 s)
 * with ±20 % jitter, so a burst of failures does not come back as a synchronized burst.
 */
export function retryDelay(delays: readonly number[], attemptsMade: number, random: () => number = Math.random): number {
  const base = delays[Math.min(Math.max(attemptsMade, 1), delays.length) - 1] ?? 0;
  return Math.round(base * (0.8 + 0.4 * random()));
}
