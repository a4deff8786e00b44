/** One figure for bench/RESULTS.md (scripts/bench.sh collects `BENCH {json}` lines) and for people. */
export function report(name: string, value: number, unit: string, target?: string): void {
  process.stdout.write(`${name}: ${value} ${unit}${target ? ` (target ${target})` : ''}\n`);
  process.stdout.write(`BENCH ${JSON.stringify({ name, value, unit, target })}\n`);
}

export function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return 0;
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
}

export const round = (value: number, digits = 1) => Math.round(value * 10 ** digits) / 10 ** digits;

export const NOTE = 'Shared machine (2 cores, other workloads running, FerretDB on SQLite): figures are indicative.';

/**
 * Where the time went, from the service's own metrics: database commands by name (count, mean and
 * total time as the driver saw them, waiting for the server included) and HTTP request durations.
 */
export async function profile(serviceUrl: string): Promise<void> {
  const text = await (await fetch(`${serviceUrl}/metrics`)).text();
  const series = (name: string) =>
    [...text.matchAll(new RegExp(`^${name}_(sum|count)\\{([^}]*)\\} ([0-9.e+-]+)$`, 'gm'))].map((m) => ({ kind: m[1]!, labels: m[2]!, value: Number(m[3]) }));
  const commands = new Map<string, { sum: number; count: number }>();
  for (const { kind, labels, value } of series('mongodb_command_duration_seconds')) {
    const command = /command="([^"]+)"/.exec(labels)?.[1] ?? '?';
    const entry = commands.get(command) ?? { sum: 0, count: 0 };
    entry[kind as 'sum' | 'count'] += value;
    commands.set(command, entry);
  }
  process.stdout.write('database commands during the run (warm-up included): count, mean, total\n');
  for (const [command, { sum, count }] of [...commands].sort((a, b) => b[1].sum - a[1].sum)) {
    process.stdout.write(`  ${command.padEnd(16)} ${String(count).padStart(7)} ${round((sum / count) * 1000, 2).toString().padStart(9)} ms ${round(sum, 1).toString().padStart(8)} s\n`);
  }
  const http = series('http_server_request_duration_seconds').filter((s) => s.labels.includes('POST'));
  const sum = http.filter((s) => s.kind === 'sum').reduce((total, s) => total + s.value, 0);
  const count = http.filter((s) => s.kind === 'count').reduce((total, s) => total + s.value, 0);
  if (count > 0) process.stdout.write(`POST requests: ${count}, mean ${round((sum / count) * 1000, 1)} ms\n`);
}
