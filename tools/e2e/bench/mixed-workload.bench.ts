import 'reflect-metadata';
import { Agent, request } from 'undici';
import { createClinic, createOrganization } from '../src/fixtures.js';
import { Api } from '../src/http.js';
import { signUp } from '../src/people.js';
import { startStack } from '../src/stack.js';

/**
 * Mixed read/write workload through the gateway at a fixed arrival rate (open loop: latency is
 * measured from each request's scheduled start, so a stall is not hidden by the generator
 * waiting for it). The host is shared, so read the figures as this machine's, not absolutes.
 *   node --conditions=@dentalos/source --import @swc-node/register/esm-register tools/e2e/bench/mixed-workload.bench.ts
 */
const RATE = Number(process.env.BENCH_RATE ?? 500);
const SECONDS = Number(process.env.BENCH_SECONDS ?? 20);
const WARMUP_SECONDS = 3;
const TICK_MS = 10;
/** BENCH_WRITES=0 turns the writes into reads, to tell write cost from read cost. */
const WRITES = process.env.BENCH_WRITES !== '0';

function report(name: string, value: number, unit: string, target?: string): void {
  console.log(`BENCH ${JSON.stringify({ name, value: Number(value.toFixed(3)), unit, target })}`);
}

function percentile(sorted: number[], p: number): number {
  return sorted.length === 0 ? Number.NaN : sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

const stack = await startStack();
try {
  const api = new Api(stack.gatewayUrl);
  const person = await signUp(api, 'bench');
  const org = await createOrganization(api, person.accessToken, 'bench');
  const clinic = await createClinic(api, person.accessToken, org.id, 'Bench Clinic', 'Europe/Berlin', 'DE');
  const headers = { authorization: `Bearer ${person.accessToken}`, 'content-type': 'application/json' };
  // 80 % reads over three services, 20 % writes (profile update, a role binding per request).
  const mix = (n: number): { method: 'GET' | 'PATCH' | 'POST'; path: string; body?: string } => {
    switch (WRITES ? n % 10 : 1) {
      case 0:
        return { method: 'PATCH', path: '/api/v1/users/me', body: JSON.stringify({ displayName: `Bench ${n}` }) };
      case 5:
        return { method: 'POST', path: `/api/v1/organizations/${org.id}/bindings`, body: JSON.stringify({ userId: `usr_bench_${n}`, role: 'dentist' }) };
      case 1:
      case 6:
        return { method: 'GET', path: `/api/v1/organizations/${org.id}/clinics/${clinic.id}` };
      case 2:
      case 7:
        return { method: 'GET', path: '/api/v1/preferences/me' };
      case 3:
      case 8:
        return { method: 'GET', path: `/api/v1/organizations/${org.id}` };
      default:
        return { method: 'GET', path: '/api/v1/users/me' };
    }
  };

  const agent = new Agent({ connections: 128, keepAliveTimeout: 30_000 });
  const latencies: number[] = [];
  let errors = 0;
  let sent = 0;
  let lastDone = 0;
  const statuses: Record<string, number> = {};
  const inFlight = new Set<Promise<void>>();
  const start = performance.now();
  const end = start + (WARMUP_SECONDS + SECONDS) * 1_000;
  const measureFrom = start + WARMUP_SECONDS * 1_000;
  const perTick = (RATE * TICK_MS) / 1_000;
  let due = 0;
  for (let tick = 0; start + tick * TICK_MS < end; tick++) {
    const scheduled = start + tick * TICK_MS;
    const wait = scheduled - performance.now();
    if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
    due += perTick;
    for (; due >= 1; due--) {
      const step = mix(sent++);
      const promise = request(`${stack.gatewayUrl}${step.path}`, { method: step.method, headers, body: step.body, dispatcher: agent })
        .then(async (response) => {
          await response.body.dump();
          if (scheduled >= measureFrom) {
            lastDone = performance.now();
            latencies.push(lastDone - scheduled);
            statuses[response.statusCode] = (statuses[response.statusCode] ?? 0) + 1;
            if (response.statusCode >= 400) errors++;
          }
        })
        .catch((error: { code?: string }) => {
          if (scheduled >= measureFrom) {
            errors++;
            statuses[error.code ?? 'error'] = (statuses[error.code ?? 'error'] ?? 0) + 1;
          }
        })
        .finally(() => inFlight.delete(promise));
      inFlight.add(promise);
    }
  }
  await Promise.all(inFlight);
  await agent.close();
  const sorted = latencies.sort((a, b) => a - b);
  report('mixed workload offered rate', RATE, 'req/s');
  console.log(`statuses: ${JSON.stringify(statuses)}`);
  // Completions over the time it took to complete them: below the offered rate means the stack saturated.
  report('mixed workload completed rate', (latencies.length * 1_000) / Math.max(SECONDS * 1_000, lastDone - measureFrom), 'req/s', `${RATE}`);
  report('mixed workload p50', percentile(sorted, 50), 'ms');
  report('mixed workload p95', percentile(sorted, 95), 'ms');
  report('mixed workload p99', percentile(sorted, 99), 'ms');
  report('mixed workload errors', errors, 'requests', '0');
} finally {
  await stack.close();
}
