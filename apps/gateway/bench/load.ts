import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { Pool } from 'undici';

const run = promisify(execFile);

export interface WrkResult {
  rps: number;
  p50Ms: number;
  p99Ms: number;
  non2xx: number;
}

function toMs(value: string): number {
  const match = /^([\d.]+)(us|ms|s)$/.exec(value.trim());
  if (!match) return NaN;
  const number = Number(match[1]);
  return match[2] === 'us' ? number / 1000 : match[2] === 's' ? number * 1000 : number;
}

/** Closed-loop maximum throughput with wrk (one thread: the machine has two shared cores). */
export async function wrk(url: string, headers: Record<string, string>, seconds: number, connections = 50): Promise<WrkResult> {
  const args = ['-t1', `-c${connections}`, `-d${seconds}s`, '--latency'];
  for (const [name, value] of Object.entries(headers)) args.push('-H', `${name}: ${value}`);
  const { stdout } = await run('wrk', [...args, url], { maxBuffer: 1 << 20 });
  const rps = Number(/Requests\/sec:\s+([\d.]+)/.exec(stdout)?.[1]);
  const p50 = /50%\s+(\S+)/.exec(stdout)?.[1] ?? '';
  const p99 = /99%\s+(\S+)/.exec(stdout)?.[1] ?? '';
  const non2xx = Number(/Non-2xx or 3xx responses:\s+(\d+)/.exec(stdout)?.[1] ?? 0);
  return { rps, p50Ms: toMs(p50), p99Ms: toMs(p99), non2xx };
}

export interface PacedResult {
  sent: number;
  statuses: Record<number, number>;
  p50Ms: number;
  p99Ms: number;
  /** Milliseconds from start to the first response for which `marker` returned true. */
  firstMarkedAtMs: number | undefined;
  /** p99 latency of the responses `marker` picked out. */
  markedP99Ms: number | undefined;
}

function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

/**
 * Open-loop load at a fixed rate (wrk has none): requests leave on schedule whether or not
 * earlier ones have answered, so a slow target cannot slow the load down.
 */
export async function paced(
  url: string,
  headers: Record<string, string>,
  rate: number,
  seconds: number,
  marker?: (status: number, body: string) => boolean,
  /** Only responses to requests sent before this many ms count in `markedP99Ms`. */
  markWindowMs = Infinity,
): Promise<PacedResult> {
  const { origin, pathname } = new URL(url);
  const pool = new Pool(origin, { connections: 512 });
  const latencies: number[] = [];
  const afterMark: number[] = [];
  const statuses: Record<number, number> = {};
  let firstMarkedAtMs: number | undefined;
  let sent = 0;
  const started = performance.now();
  const inFlight: Promise<void>[] = [];
  await new Promise<void>((resolve) => {
    const timer = setInterval(() => {
      const elapsed = performance.now() - started;
      if (elapsed >= seconds * 1000) {
        clearInterval(timer);
        resolve();
        return;
      }
      const due = Math.floor((elapsed / 1000) * rate);
      while (sent < due) {
        sent++;
        const t0 = performance.now();
        inFlight.push(
          pool.request({ method: 'GET', path: pathname, headers, headersTimeout: 30_000 }).then(
            async (response) => {
              const body = await response.body.text();
              const latency = performance.now() - t0;
              statuses[response.statusCode] = (statuses[response.statusCode] ?? 0) + 1;
              latencies.push(latency);
              if (marker?.(response.statusCode, body)) {
                firstMarkedAtMs ??= performance.now() - started;
                if (t0 - started < markWindowMs) afterMark.push(latency);
              }
            },
            () => {
              statuses[0] = (statuses[0] ?? 0) + 1;
            },
          ),
        );
      }
    }, 1);
  });
  await Promise.allSettled(inFlight);
  await pool.close();
  latencies.sort((a, b) => a - b);
  afterMark.sort((a, b) => a - b);
  return {
    sent,
    statuses,
    p50Ms: percentile(latencies, 50),
    p99Ms: percentile(latencies, 99),
    firstMarkedAtMs,
    markedP99Ms: afterMark.length > 0 ? percentile(afterMark, 99) : undefined,
  };
}
