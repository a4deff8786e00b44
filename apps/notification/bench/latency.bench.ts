/**
 * Event-to-delivery latency: user.created events published at a steady rate to the stream, each
 * ending as a welcome email at a local SMTP sink; latency = sink receipt − event publish time.
 *   SWC_NODE_PROJECT=tsconfig.base.json node --conditions=@dentalos/source \
 *     --import @swc-node/register/esm-register apps/notification/bench/latency.bench.ts
 * BENCH_RATE (events/s, default 500) and BENCH_SECONDS (default 5) shape the run.
 */
import 'reflect-metadata';
import { EventPublisher } from '@dentalos/events';
import { waitFor } from '@dentalos/testing';
import { Redis } from 'ioredis';
import { startHarness } from '../test/support/harness.js';
import { userCreated } from '../test/support/events.js';
import { NOTE, percentile, profile, report, round } from './report.js';

const RATE = Number(process.env.BENCH_RATE ?? 500);
const SECONDS = Number(process.env.BENCH_SECONDS ?? 5);
const TOTAL = RATE * SECONDS;

const h = await startHarness({ LOG_LEVEL: 'error', EVENTS_CONCURRENCY: '50', EMAIL_CONCURRENCY: '100' });
const stream = h.env.EVENTS_USER_STREAM!;
const key = h.env.EVENT_SEALING_KEY!;
const redis = new Redis('redis://127.0.0.1:6379');
const publisher = new EventPublisher(redis);
const sentAt = new Map<string, number>();
const receivedAt = new Map<string, number>();
const seen = h.smtp.messages;
let scanned = 0;
const sampler = setInterval(() => {
  for (; scanned < seen.length; scanned += 1) for (const to of seen[scanned]!.to) if (!receivedAt.has(to)) receivedAt.set(to, performance.now());
}, 5);

// Steady rate in 20 ms ticks.
const perTick = Math.max(1, Math.round(RATE / 50));
const started = performance.now();
let published = 0;
while (published < TOTAL) {
  const due = Math.min(TOTAL, Math.floor(((performance.now() - started) / 1000) * RATE) + perTick);
  const batch = [];
  for (; published < due; published += 1) batch.push(userCreated(key, { verification: undefined }));
  const now = performance.now();
  for (const event of batch) sentAt.set((event.data as { email: string }).email, now);
  if (batch.length > 0) await publisher.publish(stream, batch);
  await new Promise((resolve) => setTimeout(resolve, 20));
}
const publishSeconds = (performance.now() - started) / 1000;
const complete = await waitFor(() => receivedAt.size >= TOTAL, { timeoutMs: 240_000, intervalMs: 50, what: 'all deliveries' }).catch(() => false);
clearInterval(sampler);
await profile(h.url);

const latencies = [...receivedAt.entries()].map(([to, at]) => (at - sentAt.get(to)!) / 1000).sort((a, b) => a - b);
process.stdout.write(`${NOTE}\n${TOTAL} events published in ${round(publishSeconds, 2)} s (${round(TOTAL / publishSeconds)} events/s); delivered ${receivedAt.size}${complete ? '' : ' (timed out)'}\n`);
report('event-to-delivery p50', round(percentile(latencies, 50), 3), 's');
report('event-to-delivery p95', round(percentile(latencies, 95), 3), 's', '<= 1 s at 500 events/s');
report('event-to-delivery p99', round(percentile(latencies, 99), 3), 's');
report('achieved publish rate', round(TOTAL / publishSeconds), 'events/s');
await redis.quit();
await h.close();
process.exit(0);
