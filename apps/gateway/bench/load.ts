import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { Pool } from 'undici';

const run = promisify(execFile);

export interface WrkResult {
  rps: number;
  requests: number;
  p50Ms: number;
  p99Ms: number;
  non2xx: number;
  /** CPU seconds wrk itself used (user + system), from the shell's `times`. */
  cpuSeconds: number;
}

export interface WrkOptions {
  connections?: number;
  /**
   * Offered load in requests/s: each connection waits an exponentially distributed pause (mean
   * connections / rate) before its next request, so arrivals are close to a Poisson process at
   * `rate` as long as responses are much faster than the pauses. Without it, closed loop at maximum.
   */
  rate?: number;
}

function toMs(value: string): number {
  const match = /^([\d.]+)(us|ms|s)$/.exec(value.trim());
  if (!match) return NaN;
  const number = Number(match[1]);
  return match[2] === 'us' ? number / 1000 : match[2] === 's' ? number * 1000 : number;
}

/** `0m1.234s` (bash `times`) in seconds. */
function shellSeconds(value: string | undefined): number {
  const match = /^(\d+)m([\d.]+)s$/.exec(value ?? '');
  return match ? Number(match[1]) * 60 + Number(match[2]) : NaN;
}

/** wrk with one thread (the machine has two shared cores), `--latency` percentiles and its own CPU time. */
export async function wrk(url: string, headers: Record<string, string>, seconds: number, options: WrkOptions = {}): Promise<WrkResult> {
  const connections = options.connections ?? 50;
  const args = ['-t1', `-c${connections}`, `-d${seconds}s`, '--latency', '--timeout', '10s'];
  for (const [name, value] of Object.entries(headers)) args.push('-H', `${name}: ${value}`);
  let scriptDir: string | undefined;
  if (options.rate !== undefined) {
    scriptDir = mkdtempSync(join(tmpdir(), 'wrk-'));
    const meanMs = (connections / options.rate) * 1000;
    writeFileSync(join(scriptDir, 'rate.lua'), `function delay()\n  return -math.log(1 - math.random()) * ${meanMs}\nend\n`);
    args.push('-s', join(scriptDir, 'rate.lua'));
  }
  try {
    // `times` after wrk prints the CPU its children used: wrk's own, exactly.
    const { stdout } = await run('bash', ['-c', 'wrk "$@" && times', 'wrk', ...args, url], { maxBuffer: 1 << 20 });
    const requests = Number(/(\d+) requests in/.exec(stdout)?.[1]);
    const rps = Number(/Requests\/sec:\s+([\d.]+)/.exec(stdout)?.[1]);
    // Anchored: the stdev column of "Thread Stats" ends in a percentage too (95.50%).
    const p50 = /^\s+50%\s+(\S+)$/m.exec(stdout)?.[1] ?? '';
    const p99 = /^\s+99%\s+(\S+)$/m.exec(stdout)?.[1] ?? '';
    const non2xx = Number(/Non-2xx or 3xx responses:\s+(\d+)/.exec(stdout)?.[1] ?? 0);
    const [user, system] = stdout.trim().split('\n').at(-1)!.split(/\s+/);
    return { rps, requests, p50Ms: toMs(p50), p99Ms: toMs(p99), non2xx, cpuSeconds: shellSeconds(user) + shellSeconds(system) };
  } finally {
    if (scriptDir) rmSync(scriptDir, { recursive: true, force: true });
  }
}

export interface PacedSample {
  /** When the request left, in ms from the start of the run. */
  sentAtMs: number;
  latencyMs: number;
  /** 0 when the request failed without an HTTP answer. */
  status: number;
  body: string;
}

export interface PacedRun {
  /** `performance.now()` when the run began; `sentAtMs` counts from here. */
  readonly startedAt: number;
  /** Samples so far; complete once `done` resolves. */
  readonly samples: PacedSample[];
  readonly done: Promise<void>;
  stop(): void;
}

/**
 * Open-loop load at a fixed rate (wrk cannot wait on requests that never answer): requests leave
 * on schedule whether or not earlier ones have answered, so a slow target cannot slow the load
 * down. Runs until `stop()`; `done` resolves once every request sent has settled.
 */
export function paced(url: string, headers: Record<string, string>, rate: number): PacedRun {
  const { origin, pathname } = new URL(url);
  const pool = new Pool(origin, { connections: 1024 });
  const samples: PacedSample[] = [];
  const inFlight: Promise<void>[] = [];
  const started = performance.now();
  let sent = 0;
  const send = () => {
    const due = Math.floor(((performance.now() - started) / 1000) * rate);
    while (sent < due) {
      sent++;
      const t0 = performance.now();
      const sample = (status: number, body: string) => {
        samples.push({ sentAtMs: t0 - started, latencyMs: performance.now() - t0, status, body });
      };
      inFlight.push(
        pool.request({ method: 'GET', path: pathname, headers, headersTimeout: 30_000 }).then(
          async (response) => sample(response.statusCode, await response.body.text()),
          () => sample(0, ''),
        ),
      );
    }
  };
  // Ten ticks a second of work would be enough at these rates; 10 ms keeps the schedule smooth.
  const timer = setInterval(send, 10);
  let finish!: () => void;
  const stopped = new Promise<void>((resolve) => (finish = resolve));
  const done = stopped.then(async () => {
    await Promise.allSettled(inFlight);
    await pool.close();
  });
  return {
    startedAt: started,
    samples,
    done,
    stop: () => {
      clearInterval(timer);
      finish();
    },
  };
}

export function percentile(values: number[], p: number): number {
  if (values.length === 0) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}
