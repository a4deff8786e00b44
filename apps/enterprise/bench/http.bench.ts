/**
 * HTTP: `GET` one clinic as an authorized user (JWT verify + RBAC + read) against a bare Fastify
 * route serving the same JSON and plain NestJS serving it (the framework's own cost), each in its
 * own process, measured with wrk in one run; then an open-loop 500 req/s mix of reads and writes
 * for the latency percentiles.
 * Run from the repository root (needs FerretDB, Redis and `wrk`):
 *   SWC_NODE_PROJECT=tsconfig.base.json node --conditions=@dentalos/source --import @swc-node/register/esm-register apps/enterprise/bench/http.bench.ts
 * Optional: BENCH_SECONDS (default 5), BENCH_ROUNDS (default 3), BENCH_RATE (default 500; 0 skips the open loop), BENCH_READ_ONLY=1
 * (open loop without writes), BENCH_CPU_PROF=<dir> (V8 CPU profile of the service, written when it stops).
 */
import 'reflect-metadata';
import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { availableParallelism, loadavg } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { freePort, REPO_ROOT, spawnManaged, startTestTokenIssuer, testDatabaseUri, testKeyPrefix, waitFor } from '@dentalos/testing';
import { request } from '../test/http-client.js';

const seconds = Number(process.env.BENCH_SECONDS ?? 5);
const rate = Number(process.env.BENCH_RATE ?? 500);
const rounds = Number(process.env.BENCH_ROUNDS ?? 3);
const issuer = await startTestTokenIssuer();
const port = await freePort();
// BENCH_CPU_PROF=<dir> writes a V8 CPU profile of the service (open it in Chrome DevTools).
const profile = process.env.BENCH_CPU_PROF ? ['--cpu-prof', `--cpu-prof-dir=${process.env.BENCH_CPU_PROF}`] : [];
const service = spawnManaged(
  process.execPath,
  [...profile, '--conditions=@dentalos/source', '--import', '@swc-node/register/esm-register', join(REPO_ROOT, 'apps/enterprise/src/main.ts')],
  {
    ...process.env,
    ...issuer.env,
    SWC_NODE_PROJECT: join(REPO_ROOT, 'tsconfig.base.json'),
    PORT: String(port),
    HOST: '127.0.0.1',
    LOG_LEVEL: 'warn',
    MONGODB_URI: testDatabaseUri('bench_http'),
    REDIS_KEY_PREFIX: testKeyPrefix('bench_http'),
  },
  REPO_ROOT,
);
const url = `http://127.0.0.1:${port}`;
await waitFor(async () => (await fetch(`${url}/health/readiness`)).ok, { timeoutMs: 60_000, what: 'enterprise service' }).catch((error: Error) => {
  throw new Error(`${error.message}\n${service.output()}`);
});

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

/** A peer server serving `body` at /clinic from its own process; both peers run the same way. */
async function startPeer(entry: string, what: string) {
  const port = await freePort();
  const peer = spawnManaged(process.execPath, ['--import', '@swc-node/register/esm-register', join(REPO_ROOT, entry)], {
    ...process.env,
    SWC_NODE_PROJECT: join(REPO_ROOT, 'tsconfig.base.json'),
    PORT: String(port),
    BENCH_BODY: body,
  }, REPO_ROOT);
  const peerUrl = `http://127.0.0.1:${port}/clinic`;
  await waitFor(async () => (await fetch(peerUrl)).ok, { timeoutMs: 30_000, what });
  return { peer, url: peerUrl };
}
const bare = await startPeer('apps/enterprise/bench/bare-server.ts', 'bare server');
const nest = await startPeer('tools/bench/src/nest-server.ts', 'plain Nest server');

interface Measured {
  rps: number;
  cpuMicrosPerRequest: number;
}

/** CPU seconds (user + system) a process has used: steadier than req/s on a shared host. */
function cpuSeconds(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
  return (Number(fields[11]) + Number(fields[12])) / 100;
}

/**
 * Runs wrk without blocking this process: a blocked event loop cannot retire the idle keep-alive
 * sockets of the open loop's client before the service closes them, and the first request sent
 * on one afterwards fails with "other side closed".
 */
async function wrk(target: string, headers: string[], pid: number): Promise<Measured> {
  const args = ['-t2', '-c32', `-d${seconds}s`, ...headers.flatMap((header) => ['-H', header]), target];
  const cpuBefore = cpuSeconds(pid);
  const { stdout: output } = await promisify(execFile)('wrk', args, { encoding: 'utf8' });
  const cpu = cpuSeconds(pid) - cpuBefore;
  const non2xx = /Non-2xx or 3xx responses: (\d+)/.exec(output);
  if (non2xx) throw new Error(`${target}: ${non2xx[1]} non-2xx responses`);
  const requests = Number(/(\d+) requests in/.exec(output)?.[1] ?? 0);
  return { rps: Number(/Requests\/sec:\s+([\d.]+)/.exec(output)?.[1] ?? 0), cpuMicrosPerRequest: (cpu / requests) * 1e6 };
}

/** One line per figure for scripts/bench.sh's summary table. */
function report(name: string, value: number, unit: string, target?: string): void {
  console.log(`BENCH ${JSON.stringify({ name, value: Number(value.toFixed(3)), unit, target })}`);
}

console.log(`load average ${loadavg().map((n) => n.toFixed(1)).join(' ')} on ${availableParallelism()} cores, shared with other workloads; wrk -t2 -c32 -d${seconds}s; figures are indicative`);
const auth = [`authorization: Bearer ${memberToken}`];
const targets = {
  bare: () => wrk(bare.url, [], bare.peer.child.pid!),
  nest: () => wrk(nest.url, [], nest.peer.child.pid!),
  floor: () => wrk(`${url}/health/liveness`, [], service.child.pid!),
  clinic: () => wrk(`${url}${readPath}`, auth, service.child.pid!),
};
// Warm-up (JIT, caches), then rounds of the three side by side: the host is shared, so each
// figure is the median over rounds and each ratio the median of ratios taken in the same round.
for (const measure of Object.values(targets)) await measure();
const runs: Record<keyof typeof targets, Measured>[] = [];
for (let round = 0; round < rounds; round++) runs.push({ bare: await targets.bare(), nest: await targets.nest(), floor: await targets.floor(), clinic: await targets.clinic() });
const median = (values: number[]) => [...values].sort((x, y) => x - y)[Math.floor(values.length / 2)]!;
const of = (target: keyof typeof targets): Measured => ({
  rps: median(runs.map((run) => run[target].rps)),
  cpuMicrosPerRequest: median(runs.map((run) => run[target].cpuMicrosPerRequest)),
});
const [bareRun, nestRun, floorRun, clinicRun] = [of('bare'), of('nest'), of('floor'), of('clinic')];
const ratio = median(runs.map((run) => run.clinic.rps / run.bare.rps));
const cpuRatio = median(runs.map((run) => run.bare.cpuMicrosPerRequest / run.clinic.cpuMicrosPerRequest));
const floorRatio = median(runs.map((run) => run.floor.rps / run.bare.rps));
const nestRatio = median(runs.map((run) => run.nest.rps / run.bare.rps));
const line = (label: string, run: Measured) =>
  console.log(`${label.padEnd(42)} ${run.rps.toFixed(0).padStart(6)} req/s  ${run.cpuMicrosPerRequest.toFixed(1).padStart(6)} µs CPU/request`);
console.log(`medians of ${rounds} rounds:`);
line('bare Fastify route', bareRun);
line('plain Nest + Fastify, same JSON', nestRun);
line('service pipeline floor (/health/liveness)', floorRun);
line('GET clinic (JWT+RBAC+read)', clinicRun);
console.log(`ratio GET clinic / bare: ${(ratio * 100).toFixed(1)} % of req/s, ${(cpuRatio * 100).toFixed(1)} % by CPU per request (target >= 50 %)`);
console.log(`ratio plain Nest / bare: ${(nestRatio * 100).toFixed(1)} % of req/s: what the framework alone leaves`);
console.log(`ratio pipeline floor / bare: ${(floorRatio * 100).toFixed(1)} % of req/s: the most any route of this service can reach`);
report('enterprise: GET clinic req/s', clinicRun.rps, 'req/s');
report('enterprise: GET clinic CPU per request', clinicRun.cpuMicrosPerRequest, 'µs');
report('enterprise: GET clinic / bare Fastify (req/s)', ratio, 'ratio', '>= 0.50');
report('enterprise: GET clinic / bare Fastify (CPU per request, inverted)', cpuRatio, 'ratio', '>= 0.50');
report('enterprise: plain Nest + Fastify / bare Fastify (req/s)', nestRatio, 'ratio');
report('enterprise: /health/liveness / bare Fastify (req/s)', floorRatio, 'ratio');

/** Open loop: requests leave on schedule whatever the latency, so queueing shows in the figures. */
async function openLoop(): Promise<void> {
  const latencies: number[] = [];
  const byKind: Record<'read' | 'write', number[]> = { read: [], write: [] };
  const statuses = new Map<number, number>();
  // Status 0: no HTTP answer (connection error) or a body that is not JSON; say which.
  const failures = new Set<string>();
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
        (error: Error) => {
          statuses.set(0, (statuses.get(0) ?? 0) + 1);
          failures.add(`${error.message}${error.cause instanceof Error ? `: ${error.cause.message}` : ''}`);
        },
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
  for (const failure of failures) console.log(`  failed: ${failure}`);
}
if (rate > 0) await openLoop();

await bare.peer.stop();
await nest.peer.stop();
await service.stop();
await issuer.close();
process.exit(0);
