import { resolve } from 'node:path';
import { freePort, ready, report, runTs, stop, wrk } from './lib.js';

// Each server gets the load alone, one after the other, warmed up first; wrk runs in its own process.
async function measure(entry: string, path: string, env: NodeJS.ProcessEnv = {}) {
  const port = await freePort();
  const child = runTs(resolve(import.meta.dirname, entry), { PORT: String(port), HOST: '127.0.0.1', LOG_LEVEL: 'info', ...env });
  await ready(child);
  const url = `http://127.0.0.1:${port}${path}`;
  wrk(url, { seconds: 2 });
  const result = wrk(url, { seconds: 6 });
  await stop(child);
  return result;
}

const bare = await measure('bare-server.ts', '/');
const pipeline = await measure('pipeline-app.ts', '/api/v1/ping');
console.log(`bare node:http       ${bare.requestsPerSecond.toFixed(0)} req/s  p50 ${bare.p50Ms} ms  p99 ${bare.p99Ms} ms`);
console.log(`bootstrap() pipeline ${pipeline.requestsPerSecond.toFixed(0)} req/s  p50 ${pipeline.p50Ms} ms  p99 ${pipeline.p99Ms} ms`);
report('foundation: bare node:http req/s', bare.requestsPerSecond, 'req/s');
report('foundation: bootstrap() trivial GET req/s', pipeline.requestsPerSecond, 'req/s');
report('foundation: bootstrap() / node:http', pipeline.requestsPerSecond / bare.requestsPerSecond, 'ratio', '>= 0.60');
