/**
 * Heap and timers held by 1,000 time-window breakers (with traffic recorded in every one),
 * next to 1,000 opossum breakers, which each run a rolling-window interval. Run from the root:
 *   SWC_NODE_PROJECT=tsconfig.base.json node --expose-gc --conditions=@dentalos/source --import @swc-node/register/esm-register libs/resilience/bench/breakers-heap.bench.ts
 */
import 'reflect-metadata';
import CircuitBreaker from 'opossum';
import { CircuitBreakerPolicy } from '../src/index.js';

const COUNT = 1_000;
const gc = (globalThis as { gc?: () => void }).gc;
if (!gc) throw new Error('run with --expose-gc');

const heap = (): number => {
  gc();
  gc();
  return process.memoryUsage().heapUsed;
};
// Count every timer and interval created, unref'd ones included (getActiveResourcesInfo skips those).
let created = 0;
const realSetTimeout = globalThis.setTimeout;
const realSetInterval = globalThis.setInterval;
globalThis.setTimeout = ((...args: Parameters<typeof setTimeout>) => (created++, realSetTimeout(...args))) as typeof setTimeout;
globalThis.setInterval = ((...args: Parameters<typeof setInterval>) => (created++, realSetInterval(...args))) as typeof setInterval;
const timers = (): number => created;
const mb = (bytes: number): string => (bytes / 1024 / 1024).toFixed(2);

async function measure<T>(label: string, make: (i: number) => T, use: (item: T) => Promise<unknown>, dispose: (item: T) => void): Promise<void> {
  const heapBefore = heap();
  const timersBefore = timers();
  const items = Array.from({ length: COUNT }, (_, i) => make(i));
  for (const item of items) for (let call = 0; call < 20; call++) await use(item);
  const heapAfter = heap();
  const timersAfter = timers();
  console.log(
    `${label.padEnd(44)} heap ${mb(heapAfter - heapBefore).padStart(6)} MB (${((heapAfter - heapBefore) / COUNT).toFixed(0)} B each), timers created ${timersAfter - timersBefore}`,
  );
  items.forEach(dispose);
}

const fail = () => Promise.reject(new Error('x'));

await measure(
  `${COUNT} ours (time window 60 s, 10 buckets)`,
  (i) => new CircuitBreakerPolicy({ name: `dep-${i}`, window: { type: 'time', durationMs: 60_000, buckets: 10 }, minimumCalls: 100 }),
  (breaker) => breaker.execute(() => (Math.random() < 0.3 ? fail() : 1)).catch(() => undefined),
  () => undefined,
);
await measure(
  `${COUNT} ours (time window 60 s, 60 buckets)`,
  (i) => new CircuitBreakerPolicy({ name: `dep-${i}`, window: { type: 'time', durationMs: 60_000, buckets: 60 }, minimumCalls: 100 }),
  (breaker) => breaker.execute(() => (Math.random() < 0.3 ? fail() : 1)).catch(() => undefined),
  () => undefined,
);
await measure(
  `${COUNT} opossum (rolling 60 s, 10 buckets)`,
  () => new CircuitBreaker(() => (Math.random() < 0.3 ? fail() : Promise.resolve(1)), { rollingCountTimeout: 60_000, rollingCountBuckets: 10, volumeThreshold: 100, timeout: false }),
  (breaker) => breaker.fire().catch(() => undefined),
  (breaker) => breaker.shutdown(),
);
