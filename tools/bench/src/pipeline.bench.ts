import { resolve } from 'node:path';
import { cpuSeconds, freePort, ready, report, runTs, stop, wrk } from './lib.js';

// Each server gets the load alone, one after the other, warmed up first; wrk runs in its own process.
async function measure(entry: string, path: string, env: NodeJS.ProcessEnv = {}) {
  const port = await freePort();
  const child = runTs(resolve(import.meta.dirname, entry), { PORT: String(port), HOST: '127.0.0.1', LOG_LEVEL: 'info', ...env });
  await ready(child);
  const url = `http://127.0.0.1:${port}${path}`;
  wrk(url, { seconds: 2 });
  const cpuBefore = cpuSeconds(child.pid!);
  const result = wrk(url, { seconds: 6 });
  const cpuMicrosPerRequest = ((cpuSeconds(child.pid!) - cpuBefore) / result.requests) * 1e6;
  await stop(child);
  return { ...result, cpuMicrosPerRequest };
}

const bare = await measure('bare-server.ts', '/');
const nest = await measure('nest-server.ts', '/api/v1/ping');
const pipeline = await measure('pipeline-app.ts', '/api/v1/ping');
for (const [name, result] of [['bare node:http      ', bare], ['plain Nest + Fastify', nest], ['bootstrap() pipeline', pipeline]] as const) {
  console.log(`${name} ${result.requestsPerSecond.toFixed(0)} req/s  ${result.cpuMicrosPerRequest.toFixed(1)} µs CPU/request  p50 ${result.p50Ms} ms  p99 ${result.p99Ms} ms`);
}
report('foundation: bare node:http req/s', bare.requestsPerSecond, 'req/s');
report('foundation: plain Nest + Fastify req/s', nest.requestsPerSecond, 'req/s');
report('foundation: bootstrap() trivial GET req/s', pipeline.requestsPerSecond, 'req/s');
report('foundation: plain Nest + Fastify / node:http (req/s)', nest.requestsPerSecond / bare.requestsPerSecond, 'ratio');
report('foundation: bootstrap() / plain Nest + Fastify (req/s)', pipeline.requestsPerSecond / nest.requestsPerSecond, 'ratio');
report('foundation: bootstrap() / node:http (req/s)', pipeline.requestsPerSecond / bare.requestsPerSecond, 'ratio', '>= 0.60');
// Capacity per core: the inverse ratio of CPU spent per request, robust to other load on the host.
report('foundation: bootstrap() / node:http (CPU per request, inverted)', bare.cpuMicrosPerRequest / pipeline.cpuMicrosPerRequest, 'ratio', '>= 0.60');
