/**
 * Durability under SIGKILL: publish BENCH_EVENTS (default 10,000) user.created events, kill the
 * service with SIGKILL part-way, restart it, and count what reached the SMTP sink: lost (never
 * arrived) and duplicates (arrived twice). BENCH_EVENTS, BENCH_KILL_AT (share delivered before the
 * kill, default 0.3) and BENCH_TIMEOUT_S (default 1,800 per wait) shape the run.
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
/** Each of the two waits (until the kill, until everything arrived) gives up after this long. */
const TIMEOUT_MS = Number(process.env.BENCH_TIMEOUT_S ?? 1_800) * 1000;
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
await waitFor(() => deps.smtp.messages.length >= EVENTS * KILL_AT, { timeoutMs: TIMEOUT_MS, intervalMs: 20, what: 'deliveries before the kill' });
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
  { timeoutMs: TIMEOUT_MS, intervalMs: 200, what: 'every event delivered' },
).catch(() => false);
const seconds = (performance.now() - started) / 1000;
// Each address is one event; a second message to it is a duplicate. Where it happened tells why:
// before the kill (two jobs for one delivery at once) or after the restart (a send the provider
// took in the instant before the kill, repeated).
const firstAt = new Map<string, number>();
let duplicates = 0;
let duplicatesBeforeKill = 0;
const messageIds = new Set<string>();
deps.smtp.messages.forEach((message, index) => {
  messageIds.add(message.messageId);
  for (const to of message.to) {
    if (!firstAt.has(to)) firstAt.set(to, index);
    else {
      duplicates += 1;
      if (index < atKill) duplicatesBeforeKill += 1;
    }
  }
});
const lost = [...expected].filter((address) => !firstAt.has(address)).length;
process.stdout.write(`${NOTE}\n${EVENTS} events, SIGKILL after ${atKill} deliveries, all delivered: ${done !== false}, ${Math.round(seconds)} s in total\n`);
process.stdout.write(
  `${deps.smtp.messages.length} messages at the sink, ${messageIds.size} distinct Message-IDs; duplicates: ${duplicatesBeforeKill} before the kill, ${duplicates - duplicatesBeforeKill} after the restart\n`,
);
report('events lost after SIGKILL + restart', lost, 'events', '0');
report('duplicate deliveries after SIGKILL + restart', duplicates, 'messages', '0');
// One welcome per event: a repeat with its first copy's Message-ID is one a receiver can drop.
report('duplicates a receiver cannot drop by Message-ID', messageIds.size - firstAt.size, 'messages', '0');
report('crash run throughput (events to sink, kill and restart included)', Math.round(EVENTS / seconds), 'events/s');
await service.stop();
await deps.close();
process.exit(0);
