/**
 * Notifications/s accepted-to-delivered into a local SMTP sink, through the real HTTP API,
 * FerretDB, BullMQ and nodemailer. Peer in the same run: nodemailer alone into the same sink.
 *   SWC_NODE_PROJECT=tsconfig.base.json node --conditions=@dentalos/source \
 *     --import @swc-node/register/esm-register apps/notification/bench/throughput.bench.ts
 */
import 'reflect-metadata';
import { waitFor } from '@dentalos/testing';
import { createTransport } from 'nodemailer';
import { Pool } from 'undici';
import { createTemplate, newRecipient } from '../test/support/api.js';
import { startHarness } from '../test/support/harness.js';
import { NOTE, profile, report, round } from './report.js';

const N = Number(process.env.BENCH_NOTIFICATIONS ?? 2_000);
const CLIENTS = Number(process.env.BENCH_CLIENTS ?? 64);

const h = await startHarness({ LOG_LEVEL: 'error', EMAIL_CONCURRENCY: process.env.BENCH_EMAIL_CONCURRENCY ?? '100' });
await createTemplate(h, 'bench', 'reminders', ['email']);
const userId = await newRecipient(h);
const pool = new Pool(h.url, { connections: CLIENTS });
const body = (index: number) => JSON.stringify({ userId, template: 'bench', data: { name: `n${index}` } });

// Warm-up: compiles templates, opens SMTP and database connections.
for (let index = 0; index < 50; index += 1) {
  await pool.request({ path: '/api/v1/notifications', method: 'POST', headers: { authorization: `Bearer ${h.adminToken}`, 'content-type': 'application/json' }, body: body(index) }).then((r) => r.body.dump());
}
await waitFor(() => h.smtp.messages.length >= 50, { timeoutMs: 60_000, what: 'warm-up deliveries' });
process.stdout.write('warmed up\n');
h.smtp.messages.length = 0;

const started = performance.now();
let next = 0;
let failures = 0;
await Promise.all(
  Array.from({ length: CLIENTS }, async () => {
    while (next < N) {
      const index = next++;
      const response = await pool.request({
        path: '/api/v1/notifications',
        method: 'POST',
        headers: { authorization: `Bearer ${h.adminToken}`, 'content-type': 'application/json' },
        body: body(index),
      });
      await response.body.dump();
      if (response.statusCode !== 202) failures += 1;
    }
  }),
);
const acceptedMs = performance.now() - started;
process.stdout.write(`accepted in ${Math.round(acceptedMs)} ms\n`);
await waitFor(() => h.smtp.messages.length >= N - failures, { timeoutMs: 900_000, intervalMs: 20, what: 'all delivered' });
const deliveredMs = performance.now() - started;
await profile(h.url);

// Peer: the same number of messages straight from nodemailer into the same sink.
h.smtp.messages.length = 0;
const transport = createTransport({ url: h.env.SMTP_URL, pool: true, maxConnections: 100 } as Parameters<typeof createTransport>[0]);
const peerStarted = performance.now();
let peerNext = 0;
await Promise.all(
  Array.from({ length: 100 }, async () => {
    while (peerNext < N) {
      const index = peerNext++;
      await transport.sendMail({ from: 'bench@dentalos.local', to: `${userId}@example.test`, subject: `peer ${index}`, text: 'peer', html: '<p>peer</p>' });
    }
  }),
);
const peerMs = performance.now() - peerStarted;
transport.close();

process.stdout.write(`${NOTE}\n${N} notifications, ${CLIENTS} HTTP clients, ${failures} not accepted\n`);
report('notifications accepted per second (HTTP 202)', round((N / acceptedMs) * 1000), 'notifications/s');
report('notifications accepted-to-delivered per second', round((N / deliveredMs) * 1000), 'notifications/s', '>= 2000');
report('peer: nodemailer alone into the same sink', round((N / peerMs) * 1000), 'messages/s');
report('service throughput as a share of the bare SMTP peer', round(peerMs / deliveredMs, 3), 'ratio');
await pool.close();
await h.close();
process.exit(0);
