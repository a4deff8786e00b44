/**
 * Login cost at the configured Argon2id parameters, and proof that hashing stays off the event
 * loop: event-loop delay p99 while a burst of logins runs on the libuv threadpool.
 * Run from the repository root:
 *   SWC_NODE_PROJECT=tsconfig.base.json node --conditions=@dentalos/source --import @swc-node/register/esm-register apps/user/bench/login.bench.ts
 * Env: ARGON2_MEMORY_KIB / ARGON2_TIME_COST / ARGON2_PARALLELISM (defaults: the service's), BENCH_SECONDS, BENCH_BURST.
 */
import 'reflect-metadata';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { loadConfig } from '@dentalos/core';
import { PasswordHasher } from '../src/credentials/password-hasher.service.js';
import { UserEnv } from '../src/config/user.env.js';
import { signingKey } from '../test/support/user-app.js';

const SECONDS = Number(process.env.BENCH_SECONDS ?? 3);
const BURST = Number(process.env.BENCH_BURST ?? 64);

const envSource = {
  ...process.env,
  JWT_SIGNING_KEYS: JSON.stringify([signingKey('bench', 'active')]),
  EVENT_SEALING_KEY: Buffer.alloc(32, 7).toString('base64'),
};
const env = loadConfig(UserEnv, envSource);
const hasher = new PasswordHasher(env);
await hasher.onModuleInit();
const password = 'molar-crown-lantern-42';
const hash = await hasher.hash(password);

const ms = (ns: number) => (ns / 1e6).toFixed(1);

/** One login at a time = one threadpool thread busy = one core. */
async function sequentialRate(): Promise<number> {
  let count = 0;
  const started = performance.now();
  while (performance.now() - started < SECONDS * 1000) {
    await hasher.verify(hash, password);
    count++;
  }
  return count / ((performance.now() - started) / 1000);
}

async function burstLag(run: () => Promise<unknown>): Promise<{ p99: number; max: number; seconds: number }> {
  const histogram = monitorEventLoopDelay({ resolution: 10 });
  histogram.enable();
  const started = performance.now();
  await run();
  const seconds = (performance.now() - started) / 1000;
  histogram.disable();
  return { p99: histogram.percentile(99), max: histogram.max, seconds };
}

console.log(`node ${process.version}; Argon2id m=${env.ARGON2_MEMORY_KIB} KiB t=${env.ARGON2_TIME_COST} p=${env.ARGON2_PARALLELISM}; concurrency cap ${env.ARGON2_CONCURRENCY}; UV_THREADPOOL_SIZE=${process.env.UV_THREADPOOL_SIZE ?? 4}; shared machine, compare ratios`);
const perCore = await sequentialRate();
console.log(`logins/s on one core (sequential verify):     ${perCore.toFixed(1)}  (${(1000 / perCore).toFixed(1)} ms each)`);

const idle = await burstLag(() => new Promise((resolve) => setTimeout(resolve, 1000)));
console.log(`event-loop delay p99, idle 1 s:                ${ms(idle.p99)} ms`);
const burst = await burstLag(() => Promise.all(Array.from({ length: BURST }, () => hasher.verify(hash, password))));
console.log(`event-loop delay p99, burst of ${BURST} logins:      ${ms(burst.p99)} ms (max ${ms(burst.max)} ms, ${(BURST / burst.seconds).toFixed(1)} logins/s over the pool)`);
// Peer, same run: the same burst with the concurrency cap lifted to the whole threadpool.
const uncapped = new PasswordHasher(loadConfig(UserEnv, { ...envSource, ARGON2_CONCURRENCY: '64' }));
const peer = await burstLag(() => Promise.all(Array.from({ length: BURST }, () => uncapped.verify(hash, password))));
console.log(`peer, uncapped (all pool threads) p99:        ${ms(peer.p99)} ms (max ${ms(peer.max)} ms, ${(BURST / peer.seconds).toFixed(1)} logins/s) -> capped/uncapped p99 ratio ${(burst.p99 / peer.p99).toFixed(2)}`);
console.log(`target p99 ≤ 50 ms during the burst: ${burst.p99 / 1e6 <= 50 ? 'met' : 'NOT met'}`);
