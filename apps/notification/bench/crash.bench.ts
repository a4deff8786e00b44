/**
 * Durability under SIGKILL: publish BENCH_EVENTS (default 10,000) user.created events, kill the
 * service with SIGKILL part-way, restart it, and count what reached the SMTP sink: lost (never
 * arrived) and duplicates (arrived twice).
 *   SWC_NODE_PROJECT=tsconfig.base.json node --conditions=@dentalos/source \
 *     --import @swc-node/register/esm-register apps/notification/bench/crash.bench.ts
 */
import 'reflect-metadata';
import { join } from 'node:path';
import { freePort, spawnTsProcess, waitFor } from '@dentalos/testing';
import { startDependencies } from '../test/support/harness.js';
import { publish, userCreated } from '../test/support/events.js';
import { NOTE, report } from './report.js';

const EVENTS = Number(process.env.BENCH_EVENTS ?? 10_000);
const KILL_AT = Number(process.env.BENCH_KILL_AT ?? 0.3);
const MAIN = join(import.meta.dirname, '../src/main.ts');

const deps = await startDependencies();
const port = await freePort();
const url = `http://127.0.0.1:${port}`;
const env: Record<string, string> = { ...(deps.env as Record<string, string>), PORT: String(port), HOST: '127.0.0.1', LOG_LEVEL: 'error', QUEUE_LOCK_MS: '2000', SHUTDOWN_DRAIN_MS: '0', EVENTS_CONCURRENCY: '20' };

async function start() {
  const service = spawnTsProcess(MAIN, env);
  await waitFor(async () => (await fetch(`${url}/health/readiness`)).ok, { timeoutMs: 60_000, intervalMs: 200, what: 'readiness' });
  return service;
}

const events = Array.from({ length: EVENTS }, () => userCreated(env.EVENT_SEALING_KEY!, { verification: undefined }));
let service = await start();
const started = performance.now();
for (let index = 0; index < events.length; index += 500) await publish(env.EVENTS_USER_STREAM!, events.slice(index, index + 500));
await waitFor(() => deps.smtp.messages.length >= EVENTS * KILL_AT, { timeoutMs: 600_000, intervalMs: 20, what: 'deliveries before the kill' });
service.signal('SIGKILL');
await service.exited;
const atKill = deps.smtp.messages.length;
service = await start();
const expected = new Set(events.map((event) => (event.data as { email: string }).email));
const done = await waitFor(
  () => {
    const addresses = new Set(deps.smtp.messages.flatMap((m) => m.to));
    return addresses.size >= expected.size;
  },
  { timeoutMs: 900_000, intervalMs: 200, what: 'every event delivered' },
).catch(() => false);
const seconds = (performance.now() - started) / 1000;
const perAddress = new Map<string, number>();
for (const message of deps.smtp.messages) for (const to of message.to) perAddress.set(to, (perAddress.get(to) ?? 0) + 1);
const lost = [...expected].filter((address) => !perAddress.has(address)).length;
const duplicates = [...perAddress.values()].reduce((sum, count) => sum + count - 1, 0);
process.stdout.write(`${NOTE}\n${EVENTS} events, SIGKILL after ${atKill} deliveries, all delivered: ${done !== false}, ${Math.round(seconds)} s in total\n`);
report('events lost after SIGKILL + restart', lost, 'events', '0');
report('duplicate deliveries after SIGKILL + restart', duplicates, 'messages', '0');
report('crash run throughput (events to sink, kill and restart included)', Math.round(EVENTS / seconds), 'events/s');
await service.stop();
await deps.close();
process.exit(0);
