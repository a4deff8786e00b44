/**
 * Cost of each policy alone and of the four wrapped, per sequential call (ns). Run from the root:
 *   SWC_NODE_PROJECT=tsconfig.base.json node --conditions=@dentalos/source --import @swc-node/register/esm-register libs/resilience/bench/layers.bench.ts
 */
import 'reflect-metadata';
import { BulkheadPolicy, CircuitBreakerPolicy, RetryPolicy, TimeoutPolicy, wrap } from '../src/index.js';
const work = (): Promise<number> => Promise.resolve(1);
const cases: Record<string, () => Promise<unknown>> = {
  bare: () => work(),
  timeout: ((p) => () => p.execute(() => work()))(new TimeoutPolicy({ timeoutMs: 5000 })),
  retry: ((p) => () => p.execute(() => work()))(new RetryPolicy({})),
  breaker: ((p) => () => p.execute(() => work()))(new CircuitBreakerPolicy({ window: { type: 'time', durationMs: 30000 } })),
  bulkhead: ((p) => () => p.execute(() => work()))(new BulkheadPolicy({ maxConcurrent: 64 })),
  all: ((p) => () => p.execute(() => work()))(wrap(new TimeoutPolicy({ timeoutMs: 5000 }), new RetryPolicy({}), new CircuitBreakerPolicy({ window: { type: 'time', durationMs: 30000 } }), new BulkheadPolicy({ maxConcurrent: 64 }))),
};
for (let r = 0; r < 3; r++) for (const [k, f] of Object.entries(cases)) {
  const n = 200000; const t = process.hrtime.bigint(); for (let i = 0; i < n; i++) await f();
  if (r === 2) console.log(k, (Number(process.hrtime.bigint() - t) / n).toFixed(0), 'ns');
}
