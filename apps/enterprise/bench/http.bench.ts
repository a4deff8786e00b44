/**
 * HTTP: `GET` one clinic as an authorized user (JWT verify + RBAC + read) against a bare Fastify
 * route serving the same JSON, both in their own process, measured with wrk in one run; then an
 * open-loop 500 req/s mix of reads and writes for the latency percentiles.
 * Run from the repository root (needs FerretDB, Redis and `wrk`):
 *   SWC_NODE_PROJECT=tsconfig.base.json node --conditions=@dentalos/source --import @swc-node/register/esm-register apps/enterprise/bench/http.bench.ts
 * Optional: BENCH_SECONDS (default 5), BENCH_RATE (default 500).
 */
import 'reflect-metadata';
import { execFileSync } from 'node:child_process';
import { availableParallelism, loadavg } from 'node:os';
import { join } from 'node:path';
import { freePort, REPO_ROOT, spawnManaged, spawnTsProcess, startTestTokenIssuer, testDatabaseUri, testKeyPrefix, waitFor } from '@dentalos/testing';
import { request } from '../test/http-client.js';

const seconds = Number(process.env.BENCH_SECONDS ?? 5);
const rate = Number(process.env.BENCH_RATE ?? 500);
const issuer = await startTestTokenIssuer();
const port = await freePort();
const service = spawnTsProcess(join(REPO_ROOT, 'apps/enterprise/src/main.ts'), {
  ...issuer.env,
  PORT: String(port),
  HOST: '127.0.0.1',
  LOG_LEVEL: 'warn',
  MONGODB_URI: testDatabaseUri('bench_http'),
  REDIS_KEY_PREFIX: testKeyPrefix('bench_http'),
});
const url = `http://127.0.0.1:${port}`;
await waitFor(async () => (await fetch(`${url}/health/readiness`)).ok, { timeoutMs: 60_000, what: 'enterprise service' });

const ownerToken = await issuer.sign({ sub: 'owner' });
const memberToken = await issuer.sign({ sub: 'member' });
const org = (await request<{ id: string }>(url, 'POST', '/api/v1/organizations', ownerToken, { name: 'Bench', slug: `bench-${Date.now()}`, tier: 'enterprise' })).body;
const clinics: string[] = [];
for (let i = 0; i < 6; i++) {
  const created = await request<{ id: string }>(url, 'POST', `/api/v1/organizations/${org.id}/clinics`, ownerToken, {
    name: `Clinic ${i}`,
    code: `B-${i}`,
    timeZone: 'Europe/Paris',
    address: { line1: '1 Main St', city: 'Paris', postalCode: '75001', country: 'FR' },
  });
  if (created.status !== 201) throw new Error(JSON.stringify(created.body));
  clinics.push(created.body.id);
}
await request(url, 'POST', `/api/v1/organizations/${org.id}/bindings`, ownerToken, { userId: 'member', role: 'clinic-manager' });
const readPath = `/api/v1/organizations/${org.id}/clinics/${clinics[0]}`;
const body = await (await fetch(`${url}${readPath}`, { headers: { authorization: `Bearer ${memberToken}` } })).text();

const barePort = await freePort();
const bare = spawnManaged(process.execPath, ['--import', '@swc-node/register/esm-register', join(REPO_ROOT, 'apps/enterprise/bench/bare-server.ts')], {
  ...process.env,
  SWC_NODE_PROJECT: join(REPO_ROOT, 'tsconfig.base.json'),
  PORT: String(barePort),
  BENCH_BODY: body,
}, REPO_ROOT);
await waitFor(async () => (await fetch(`http://127.0.0.1:${barePort}/clinic`)).ok, { timeoutMs: 30_000, what: 'bare server' });

function wrk(target: string, headers: string[]): number {
  const args = ['-t2', '-c32', `-d${seconds}s`, ...headers.flatMap((header) => ['-H', header]), target];
  const output = execFileSync('wrk', args, { encoding: 'utf8' });
  const match = /Requests\/sec:\s+([\d.]+)/.exec(output);
  const non2xx = /Non-2xx or 3xx responses: (\d+)/.exec(output);
  if (non2xx) throw new Error(`${target}: ${non2xx[1]} non-2xx responses`);
  return Number(match?.[1] ?? 0);
}

console.log(`load average ${loadavg().map((n) => n.toFixed(1)).join(' ')} on ${availableParallelism()} cores, shared with other workloads; wrk -t2 -c32 -d${seconds}s; figures are indicative`);
wrk(`http://127.0.0.1:${barePort}/clinic`, []); // warm-up
const bareRps = wrk(`http://127.0.0.1:${barePort}/clinic`, []);
wrk(`${url}${readPath}`, [`authorization: Bearer ${memberToken}`]); // warm-up (JIT, caches)
const serviceRps = wrk(`${url}${readPath}`, [`authorization: Bearer ${memberToken}`]);
console.log(`bare Fastify route            ${bareRps.toFixed(0)} req/s`);
console.log(`GET clinic (JWT+RBAC+read)    ${serviceRps.toFixed(0)} req/s`);
console.log(`ratio                         ${((serviceRps / bareRps) * 100).toFixed(1)} %  (target >= 50 %)`);

/** Open loop: requests leave on schedule whatever the latency, so queueing shows in the figures. */
async function openLoop(): Promise<void> {
  const latencies: number[] = [];
  const byKind: Record<'read' | 'write', number[]> = { read: [], write: [] };
  const statuses = new Map<number, number>();
  const total = rate * seconds;
  const started = performance.now();
  const inflight: Promise<void>[] = [];
  for (let i = 0; i < total; i++) {
    const due = started + (i * 1000) / rate;
    const wait = due - performance.now();
    if (wait > 1) await new Promise((resolve) => setTimeout(resolve, wait));
    const write = i % 10 === 0 && process.env.BENCH_READ_ONLY !== "1";
    const clinic = clinics[1 + (i % 5)]!;
    const t = performance.now();
    const call = write
      ? request(url, 'PATCH', `/api/v1/organizations/${org.id}/clinics/${clinic}`, memberToken, { name: `Clinic ${i}` })
      : request(url, 'GET', readPath, memberToken);
    inflight.push(
      call.then(
        (reply) => {
          latencies.push(performance.now() - t);
          byKind[write ? 'write' : 'read'].push(performance.now() - t);
          statuses.set(reply.status, (statuses.get(reply.status) ?? 0) + 1);
        },
        () => statuses.set(0, (statuses.get(0) ?? 0) + 1),
      ),
    );
  }
  await Promise.all(inflight);
  const pctOf = (samples: number[], p: number) => {
    const sorted = [...samples].sort((a, b) => a - b);
    return (sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? Number.NaN).toFixed(2);
  };
  const pct = (p: number) => pctOf(latencies, p);
  const elapsed = (performance.now() - started) / 1000;
  console.log(`open loop ${rate} req/s for ${seconds}s (90% GET clinic, 10% PATCH clinic): sent ${total} in ${elapsed.toFixed(1)} s`);
  console.log(`  all:    p50=${pct(50)} ms  p95=${pct(95)} ms  p99=${pct(99)} ms  (target p95 <= 20 ms)  statuses=${JSON.stringify(Object.fromEntries(statuses))}`);
  console.log(`  reads:  p50=${pctOf(byKind.read, 50)} ms  p95=${pctOf(byKind.read, 95)} ms`);
  console.log(`  writes: p50=${pctOf(byKind.write, 50)} ms  p95=${pctOf(byKind.write, 95)} ms`);
}
await openLoop();

await bare.stop();
await service.stop();
await issuer.close();
process.exit(0);
