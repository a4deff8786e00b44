/**
 * Happy-path overhead of timeout → retry → breaker → bulkhead, ours against cockatiel's
 * equivalent `wrap(...)`, measured side by side in one process with alternating rounds.
 * Run from the repository root:
 *   SWC_NODE_PROJECT=tsconfig.base.json node --conditions=@dentalos/source --import @swc-node/register/esm-register libs/resilience/bench/pipeline.bench.ts
 * The machine may be shared: compare the ratio, not the absolute figures.
 */
import 'reflect-metadata';
import {
  ExponentialBackoff,
  SamplingBreaker,
  TimeoutStrategy,
  bulkhead as cBulkhead,
  circuitBreaker as cBreaker,
  handleAll,
  retry as cRetry,
  timeout as cTimeout,
  wrap as cWrap,
} from 'cockatiel';
import { BulkheadPolicy, CircuitBreakerPolicy, RetryPolicy, TimeoutPolicy, wrap } from '../src/index.js';

type Call = () => Promise<unknown>;

const ours = wrap(
  new TimeoutPolicy({ timeoutMs: 5_000 }),
  new RetryPolicy({ maxAttempts: 3 }),
  new CircuitBreakerPolicy({ window: { type: 'time', durationMs: 30_000 }, openDuration: 10_000 }),
  new BulkheadPolicy({ maxConcurrent: 64 }),
);
const theirs = cWrap(
  cTimeout(5_000, TimeoutStrategy.Cooperative),
  cRetry(handleAll, { maxAttempts: 2, backoff: new ExponentialBackoff() }),
  cBreaker(handleAll, { halfOpenAfter: 10_000, breaker: new SamplingBreaker({ threshold: 0.5, duration: 30_000 }) }),
  cBulkhead(64, 0),
);

const work = (): Promise<number> => Promise.resolve(1);
const readsSignal = (signal: AbortSignal): Promise<boolean> => Promise.resolve(signal.aborted);

const scenarios: { label: string; calls: Record<string, Call> }[] = [
  {
    label: 'operation ignores the signal',
    calls: {
      bare: () => work(),
      ours: () => ours.execute(() => work()),
      cockatiel: () => theirs.execute(() => work()),
    },
  },
  {
    label: 'operation reads ctx.signal',
    calls: {
      bare: () => readsSignal(new AbortController().signal),
      ours: () => ours.execute((ctx) => readsSignal(ctx.signal)),
      cockatiel: () => theirs.execute((ctx) => readsSignal(ctx.signal)),
    },
  },
];

const BATCH = 2_000;
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 15);

async function batch(call: Call): Promise<number> {
  const start = process.hrtime.bigint();
  for (let i = 0; i < BATCH; i++) await call();
  return Number(process.hrtime.bigint() - start) / BATCH;
}

const median = (values: number[]): number => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
};

for (const scenario of scenarios) {
  const samples: Record<string, number[]> = {};
  const names = Object.keys(scenario.calls);
  for (const name of names) for (let i = 0; i < 5; i++) await batch(scenario.calls[name]); // warm-up
  for (let round = 0; round < ROUNDS; round++) {
    for (const name of names) (samples[name] ??= []).push(await batch(scenario.calls[name]));
  }
  const ns = Object.fromEntries(names.map((name) => [name, median(samples[name])]));
  console.log(`\n${scenario.label} (${ROUNDS} rounds × ${BATCH} sequential calls, median per call)`);
  for (const name of names) {
    const overhead = name === 'bare' ? '' : `, overhead ${((ns[name] - ns.bare) / 1000).toFixed(2)} µs`;
    console.log(`  ${name.padEnd(10)} ${(1e9 / ns[name]).toFixed(0).padStart(9)} calls/s  ${(ns[name] / 1000).toFixed(2)} µs/call${overhead}`);
  }
  console.log(`  ratio ours/cockatiel calls/s: ${(ns.cockatiel / ns.ours).toFixed(2)}×`);
}
