import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { freePort, median, report, ROOT } from './lib.js';

// Built apps (`nx run-many -t build` first), started the way production starts them: `node dist/main.js`.
const APPS = ['gateway', 'user', 'notification', 'enterprise'];
const RUNS = 5;

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
  const child = spawn(process.execPath, [resolve(ROOT, `apps/${app}/dist/main.js`)], {
    cwd: ROOT,
    env: { ...process.env, ...extraEnv, PORT: String(port), HOST: '127.0.0.1', LOG_LEVEL: 'warn' },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  while (!(await readiness(port))) {
    if (child.exitCode !== null) throw new Error(`${app} exited with ${child.exitCode}`);
    await new Promise((done) => setTimeout(done, 10));
  }
  const elapsed = performance.now() - started;
  let rss = Number.NaN;
  if (measureRss) {
    await new Promise((done) => setTimeout(done, 3000));
    rss = rssMb(child.pid!);
  }
  child.kill('SIGTERM');
  await once(child, 'exit');
  return { elapsed, rss };
}

const env = JSON.parse(process.env.BENCH_APP_ENV ?? '{}') as NodeJS.ProcessEnv;
for (const app of APPS) {
  const times: number[] = [];
  let rss = Number.NaN;
  for (let run = 0; run < RUNS; run++) {
    const result = await startOnce(app, env, run === RUNS - 1);
    times.push(result.elapsed);
    if (!Number.isNaN(result.rss)) rss = result.rss;
  }
  console.log(`${app.padEnd(13)} cold start to readiness 200: median ${median(times).toFixed(0)} ms (runs ${times.map((t) => t.toFixed(0)).join(', ')}), idle RSS ${rss.toFixed(0)} MB`);
  report(`${app}: cold start to readiness (median of ${RUNS})`, median(times), 'ms', '<= 1500');
  report(`${app}: idle RSS`, rss, 'MB', '<= 120');
}
