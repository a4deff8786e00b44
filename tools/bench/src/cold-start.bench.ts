import { spawn } from 'node:child_process';
import { createRequire } from 'node:module';
import { once } from 'node:events';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { freePort, median, report, ROOT } from './lib.js';

// Built apps (`nx run-many -t build` first), started the way production starts them: `node dist/bundle/main.js`.
const APPS = ['gateway', 'user', 'notification', 'enterprise'];
const RUNS = 5;
/**
 * Start-up fills the young generation to its cap (2 x 16 MB semi-spaces); V8's memory reducer
 * gives it back once the process has been quiet for a while. Both figures are printed: the one
 * right after start and the one at rest, which is what an idle replica holds.
 */
const JUST_STARTED_MS = 3_000;
const IDLE_MS = 30_000;

const sleep = (ms: number) => new Promise((done) => setTimeout(done, ms));

async function readiness(port: number): Promise<boolean> {
  try {
    return (await fetch(`http://127.0.0.1:${port}/health/readiness`)).status === 200;
  } catch {
    return false;
  }
}

function rssMb(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  return Number(/VmRSS:\s+(\d+)/.exec(status)?.[1]) / 1024;
}

async function startOnce(app: string, extraEnv: NodeJS.ProcessEnv, measureRss: boolean) {
  const port = await freePort();
  const started = performance.now();
  const child = spawn(process.execPath, [resolve(ROOT, `apps/${app}/dist/bundle/main.js`)], {
    cwd: ROOT,
    env: { ...process.env, ...extraEnv, PORT: String(port), HOST: '127.0.0.1', LOG_LEVEL: 'warn' },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  while (!(await readiness(port))) {
    if (child.exitCode !== null) throw new Error(`${app} exited with ${child.exitCode}`);
    await new Promise((done) => setTimeout(done, 10));
  }
  const elapsed = performance.now() - started;
  const rss = { justStarted: Number.NaN, idle: Number.NaN };
  if (measureRss) {
    await sleep(JUST_STARTED_MS);
    rss.justStarted = rssMb(child.pid!);
    await sleep(IDLE_MS - JUST_STARTED_MS);
    rss.idle = rssMb(child.pid!);
  }
  child.kill('SIGTERM');
  await once(child, 'exit');
  return { elapsed, rss };
}

// The allocator setting the image and pm2 run with (see the Dockerfile), read from ecosystem.config.js.
const { apps } = createRequire(import.meta.url)(resolve(ROOT, 'ecosystem.config.js')) as { apps: { env: NodeJS.ProcessEnv }[] };
const env = { MALLOC_MMAP_THRESHOLD_: apps[0].env.MALLOC_MMAP_THRESHOLD_, ...(JSON.parse(process.env.BENCH_APP_ENV ?? '{}') as NodeJS.ProcessEnv) };
for (const app of APPS) {
  const times: number[] = [];
  let rss = { justStarted: Number.NaN, idle: Number.NaN };
  for (let run = 0; run < RUNS; run++) {
    const result = await startOnce(app, env, run === RUNS - 1);
    times.push(result.elapsed);
    if (run === RUNS - 1) rss = result.rss;
  }
  console.log(
    `${app.padEnd(13)} cold start to readiness 200: median ${median(times).toFixed(0)} ms (runs ${times.map((t) => t.toFixed(0)).join(', ')}), ` +
      `RSS ${rss.justStarted.toFixed(0)} MB ${JUST_STARTED_MS / 1000} s after readiness, ${rss.idle.toFixed(0)} MB after ${IDLE_MS / 1000} s idle`,
  );
  report(`${app}: cold start to readiness (median of ${RUNS})`, median(times), 'ms', '<= 1500');
  report(`${app}: RSS ${JUST_STARTED_MS / 1000} s after readiness`, rss.justStarted, 'MB');
  report(`${app}: idle RSS (${IDLE_MS / 1000} s after readiness)`, rss.idle, 'MB', '<= 120');
}
