import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { once } from 'node:events';
import { readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { resolve } from 'node:path';

export const ROOT = resolve(import.meta.dirname, '../../..');

export function freePort(): Promise<number> {
  return new Promise((done) => {
    const server = createServer();
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => done(port));
    });
  });
}

export function runTs(entry: string, env: NodeJS.ProcessEnv): ChildProcess {
  return spawn(process.execPath, ['--conditions=@dentalos/source', '--import', '@swc-node/register/esm-register', entry], {
    cwd: ROOT,
    env: { ...process.env, SWC_NODE_PROJECT: resolve(ROOT, 'tsconfig.base.json'), ...env },
    stdio: ['ignore', 'ignore', 'inherit', 'ipc'],
  });
}

export async function ready(child: ChildProcess): Promise<void> {
  await Promise.race([
    once(child, 'message'),
    once(child, 'exit').then(([code]) => {
      throw new Error(`exited ${code}`);
    }),
  ]);
}

export interface WrkResult {
  requests: number;
  requestsPerSecond: number;
  p50Ms: number;
  p99Ms: number;
}

function toMs(value: string): number {
  const match = /([\d.]+)(us|ms|s)/.exec(value);
  if (!match) return Number.NaN;
  const number = Number(match[1]);
  return match[2] === 'us' ? number / 1000 : match[2] === 's' ? number * 1000 : number;
}

/** wrk (Debian package) as the load generator: it runs in its own process, on loopback only. */
export function wrk(url: string, options: { seconds?: number; connections?: number; threads?: number } = {}): WrkResult {
  const output = execFileSync('wrk', [
    `-t${options.threads ?? 1}`,
    `-c${options.connections ?? 50}`,
    `-d${options.seconds ?? 5}s`,
    '--latency',
    url,
  ]).toString();
  const rps = Number(/Requests\/sec:\s+([\d.]+)/.exec(output)?.[1]);
  const requests = Number(/(\d+) requests in/.exec(output)?.[1]);
  const p50 = toMs(/\s50%\s+(\S+)/.exec(output)?.[1] ?? '');
  const p99 = toMs(/\s99%\s+(\S+)/.exec(output)?.[1] ?? '');
  return { requests, requestsPerSecond: rps, p50Ms: p50, p99Ms: p99 };
}

export function stop(child: ChildProcess): Promise<unknown> {
  child.kill('SIGKILL');
  return once(child, 'exit');
}

export function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}

/** One line per figure, collected by scripts/bench.sh into bench/RESULTS.md. */
export function report(name: string, value: number, unit: string, target?: string): void {
  console.log(`BENCH ${JSON.stringify({ name, value: Number(value.toFixed(3)), unit, target })}`);
}

/** CPU seconds (user + system) a process has used; per-request CPU is steadier than req/s on a busy host. */
export function cpuSeconds(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
  const ticks = Number(fields[11]) + Number(fields[12]);
  return ticks / 100;
}
