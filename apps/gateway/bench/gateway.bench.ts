/**
 * The gateway (JWT verification, Redis rate limiting, breaker, metrics all on) against nginx
 * proxying to the same upstream and against calling the upstream directly, side by side in one
 * run, then a black-holed upstream beside a healthy one. Run from the repository root:
 *   SWC_NODE_PROJECT=tsconfig.base.json node --conditions=@dentalos/source --import @swc-node/register/esm-register apps/gateway/bench/gateway.bench.ts
 * Needs Redis (scripts/infra.sh up), wrk and nginx. The machine may be shared and has two cores
 * for upstream, proxy and load generator together: compare the ratios, not the absolute figures.
 */
import 'reflect-metadata';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { REPO_ROOT, type ManagedProcess, freePort, isListening, spawnManaged, spawnTsProcess, startTestTokenIssuer, testKeyPrefix, waitFor } from '@dentalos/testing';
import { childPids, measureCpu } from './cpu.js';
import { paced, wrk, type WrkResult } from './load.js';

const SECONDS = Number(process.env.BENCH_SECONDS ?? 5);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 2);

function nginxConfig(dir: string, listen: number, upstream: number): string {
  for (const sub of ['body', 'proxy', 'fastcgi', 'uwsgi', 'scgi']) mkdirSync(join(dir, sub), { recursive: true });
  return `worker_processes 1;
daemon off;
pid ${dir}/nginx.pid;
error_log ${dir}/error.log warn;
events { worker_connections 4096; }
http {
  access_log off;
  client_body_temp_path ${dir}/body;
  proxy_temp_path ${dir}/proxy;
  fastcgi_temp_path ${dir}/fastcgi;
  uwsgi_temp_path ${dir}/uwsgi;
  scgi_temp_path ${dir}/scgi;
  upstream app { server 127.0.0.1:${upstream}; keepalive 64; }
  server {
    listen 127.0.0.1:${listen};
    location / {
      proxy_pass http://app;
      proxy_http_version 1.1;
      proxy_set_header Connection "";
      proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;
    }
  }
}
`;
}

async function listening(port: number, process: ManagedProcess, what: string): Promise<void> {
  await waitFor(() => isListening(port), { what, timeoutMs: 60_000 }).catch((error: Error) => {
    throw new Error(`${error.message}\n${process.output()}`);
  });
}

const fmt = (n: number, digits = 0) => n.toFixed(digits);
const best = (results: WrkResult[]) => results.reduce((a, b) => (b.rps > a.rps ? b : a));

async function main(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'gateway-bench-'));
  const [upstreamPort, nginxPort, gatewayPort, blackholePort, barePort] = await Promise.all([freePort(), freePort(), freePort(), freePort(), freePort()]);
  const processes: ManagedProcess[] = [];
  const issuer = await startTestTokenIssuer();
  // A black hole: accepts connections and requests, never answers.
  let blackholeRequests = 0;
  const blackhole = createServer(() => void blackholeRequests++);
  blackhole.requestTimeout = 0;
  await new Promise<void>((resolve) => blackhole.listen(blackholePort, '127.0.0.1', resolve));
  try {
    const upstream = spawnTsProcess(join(REPO_ROOT, 'apps/gateway/bench/upstream-server.ts'), { PORT: String(upstreamPort) });
    processes.push(upstream);
    await listening(upstreamPort, upstream, 'upstream');

    const confPath = join(dir, 'nginx.conf');
    writeFileSync(confPath, nginxConfig(dir, nginxPort, upstreamPort));
    const nginx = spawnManaged('nginx', ['-e', join(dir, 'error.log'), '-p', dir, '-c', confPath]);
    processes.push(nginx);
    await listening(nginxPort, nginx, 'nginx');

    const bare = spawnTsProcess(join(REPO_ROOT, 'apps/gateway/bench/bare-proxy.ts'), { PORT: String(barePort), UPSTREAM_URL: `http://127.0.0.1:${upstreamPort}` });
    processes.push(bare);
    await listening(barePort, bare, 'bare node proxy');

    const gateway = spawnTsProcess(join(REPO_ROOT, 'apps/gateway/src/main.ts'), {
      ...issuer.env,
      PORT: String(gatewayPort),
      HOST: '127.0.0.1',
      LOG_LEVEL: process.env.BENCH_GATEWAY_LOG_LEVEL ?? 'warn',
      REDIS_KEY_PREFIX: testKeyPrefix('gateway-bench'),
      GATEWAY_UPSTREAMS: `bench=http://127.0.0.1:${upstreamPort},blackhole=http://127.0.0.1:${blackholePort}`,
      GATEWAY_ROUTES: 'bench=bench,blackhole=blackhole',
      GATEWAY_EXACT_ROUTES: '/.well-known/jwks.json=bench',
      // Limits high enough never to refuse: the Lua script still runs on every request.
      RATE_LIMIT_PER_USER: '1000000000',
      RATE_LIMIT_PER_IP: '1000000000',
    });
    processes.push(gateway);
    await listening(gatewayPort, gateway, 'gateway');

    const token = await issuer.sign({ sub: 'bench-user' }, { expiresIn: '10m' });
    const auth = { authorization: `Bearer ${token}` };
    const targets = {
      direct: `http://127.0.0.1:${upstreamPort}/api/v1/bench/clinics`,
      nginx: `http://127.0.0.1:${nginxPort}/api/v1/bench/clinics`,
      bare: `http://127.0.0.1:${barePort}/api/v1/bench/clinics`,
      gateway: `http://127.0.0.1:${gatewayPort}/api/v1/bench/clinics`,
    };
    // Warm-up: JIT, keep-alive pools, JWKS fetch, Redis script load.
    for (const url of Object.values(targets)) await wrk(url, auth, 2);

    const results: Record<keyof typeof targets, WrkResult[]> = { direct: [], nginx: [], bare: [], gateway: [] };
    // CPU time per request of the proxy process itself (nginx: master and worker; gateway: its node process).
    const proxyPids: Record<keyof typeof targets, () => number[]> = {
      direct: () => [],
      nginx: () => [nginx.child.pid!, ...childPids(nginx.child.pid!)],
      bare: () => [bare.child.pid!],
      gateway: () => [gateway.child.pid!, ...childPids(gateway.child.pid!)],
    };
    const cpuPerRequest: Record<keyof typeof targets, number[]> = { direct: [], nginx: [], bare: [], gateway: [] };
    for (let round = 0; round < ROUNDS; round++) {
      for (const name of Object.keys(targets) as (keyof typeof targets)[]) {
        const { result, cpuSeconds } = await measureCpu(proxyPids[name], () => wrk(targets[name], auth, SECONDS));
        results[name].push(result);
        cpuPerRequest[name].push((cpuSeconds * 1e6) / (result.rps * SECONDS));
      }
    }
    const cpuUs = (name: keyof typeof targets) => Math.min(...cpuPerRequest[name]);
    const direct = best(results.direct);
    const nginxBest = best(results.nginx);
    const bareBest = best(results.bare);
    const gatewayBest = best(results.gateway);
    console.log(`\nMaximum throughput (wrk -t1 -c50, ${SECONDS} s x ${ROUNDS} alternating rounds, best round):`);
    console.log(`  direct   ${fmt(direct.rps)} req/s   p50 ${fmt(direct.p50Ms, 2)} ms  p99 ${fmt(direct.p99Ms, 2)} ms`);
    console.log(`  nginx    ${fmt(nginxBest.rps)} req/s   p50 ${fmt(nginxBest.p50Ms, 2)} ms  p99 ${fmt(nginxBest.p99Ms, 2)} ms`);
    console.log(`  bare     ${fmt(bareBest.rps)} req/s   p50 ${fmt(bareBest.p50Ms, 2)} ms  p99 ${fmt(bareBest.p99Ms, 2)} ms   (Fastify + undici only)`);
    console.log(`  gateway  ${fmt(gatewayBest.rps)} req/s   p50 ${fmt(gatewayBest.p50Ms, 2)} ms  p99 ${fmt(gatewayBest.p99Ms, 2)} ms  non-2xx ${gatewayBest.non2xx}`);
    console.log(`  gateway / nginx  = ${fmt((gatewayBest.rps / nginxBest.rps) * 100, 1)} %  (target >= 80 %)`);
    console.log(`  gateway / direct = ${fmt((gatewayBest.rps / direct.rps) * 100, 1)} %  (target >= 70 %)`);
    console.log(`  gateway / bare Node proxy = ${fmt((gatewayBest.rps / bareBest.rps) * 100, 1)} %  (cost of auth, limits, resilience, metrics, logging)`);
    console.log(`  proxy CPU per request (less sensitive to a shared machine): nginx ${fmt(cpuUs('nginx'))} us, bare ${fmt(cpuUs('bare'))} us, gateway ${fmt(cpuUs('gateway'))} us`);

    // Half of the maximum load: wrk has no fixed-rate mode and a Node load generator would take
    // CPU from the gateway on this machine, so pick the wrk concurrency at which the gateway
    // serves about half its maximum, and compare with the upstream called directly at the same
    // concurrency.
    const rate = Math.max(100, Math.round(gatewayBest.rps / 2));
    let connections = 1;
    for (const candidate of [1, 2, 4, 8, 16]) {
      const probe = await wrk(targets.gateway, auth, 2, candidate);
      connections = candidate;
      if (probe.rps >= rate) break;
    }
    const gatewayHalf = await wrk(targets.gateway, auth, SECONDS, connections);
    const directHalf = await wrk(targets.direct, auth, SECONDS, connections);
    console.log(`\nAdded latency at about half of the gateway's maximum (wrk -c${connections}: gateway ${fmt(gatewayHalf.rps)} req/s):`);
    console.log(`  direct   p50 ${fmt(directHalf.p50Ms, 2)} ms  p99 ${fmt(directHalf.p99Ms, 2)} ms`);
    console.log(`  gateway  p50 ${fmt(gatewayHalf.p50Ms, 2)} ms  p99 ${fmt(gatewayHalf.p99Ms, 2)} ms`);
    console.log(`  added    p50 ${fmt(gatewayHalf.p50Ms - directHalf.p50Ms, 2)} ms (target <= 1)  p99 ${fmt(gatewayHalf.p99Ms - directHalf.p99Ms, 2)} ms (target <= 3)`);

    // Black-holed upstream beside a healthy one. Background traffic (100 req/s, open loop) keeps
    // hitting the black hole; once its breaker had 5 s to open, wrk measures the 503 answers
    // (closed loop, 4 connections) and then the healthy route's maximum.
    const healthyBefore = await wrk(targets.gateway, auth, SECONDS);
    const blackholeUrl = `http://127.0.0.1:${gatewayPort}/api/v1/blackhole/clinics`;
    const isOpen = (status: number, body: string) => status === 503 && body.includes('UPSTREAM_CIRCUIT_OPEN');
    const holedRun = paced(blackholeUrl, auth, 100, 2 * SECONDS + 6, isOpen);
    await new Promise((resolve) => setTimeout(resolve, 5_000));
    const rejected = await wrk(blackholeUrl, auth, SECONDS, 4);
    const healthyDuring = await wrk(targets.gateway, auth, SECONDS);
    const holed = await holedRun;
    const metrics = await (await fetch(`http://127.0.0.1:${gatewayPort}/metrics`)).text();
    const retries = Number(/resilience_retries_total\{policy="blackhole"[^}]*\} (\d+)/.exec(metrics)?.[1] ?? 0);
    const primaries = blackholeRequests - retries;
    console.log(`\nBlack-holed upstream (100 req/s to it throughout, open loop):`);
    console.log(`  breaker open after     ${holed.firstMarkedAtMs === undefined ? 'never' : `${fmt(holed.firstMarkedAtMs)} ms`} (target <= 5000)`);
    console.log(`  its route while open   ${fmt(rejected.rps)} req/s, all non-2xx: ${rejected.non2xx > 0 && rejected.non2xx >= rejected.rps * SECONDS * 0.99}, p50 ${fmt(rejected.p50Ms, 2)} ms, p99 ${fmt(rejected.p99Ms, 2)} ms (target <= 10)`);
    console.log(`  background answers     ${JSON.stringify(holed.statuses)}`);
    console.log(`  healthy route max      ${fmt(healthyBefore.rps)} -> ${fmt(healthyDuring.rps)} req/s = ${fmt((1 - healthyDuring.rps / healthyBefore.rps) * 100, 1)} % lost (target <= 5)`);
    console.log(`  upstream attempts      ${blackholeRequests} = ${primaries} first tries + ${retries} retries = ${fmt(blackholeRequests / Math.max(1, primaries), 2)}x primary (target <= 1.2)`);
  } finally {
    await Promise.all(processes.map((process) => process.stop()));
    blackhole.closeAllConnections();
    blackhole.close();
    await issuer.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

await main();
