import type { Clock } from './clock.js';
import type { CancelSource } from './context.js';

/** Waits `ms`, or rejects with the abort reason as soon as `source` aborts; leaves no timer or listener behind. */
export function sleep(clock: Clock, ms: number, source: CancelSource): Promise<void> {
  if (source.aborted) return Promise.reject(source.reason);
  return new Promise((resolve, reject) => {
    const unsubscribe = source.subscribe((reason) => {
      clock.clearTimeout(timer);
      reject(reason);
    });
    const timer = clock.setTimeout(() => {
      unsubscribe();
      resolve();
    }, ms);
  });
}
