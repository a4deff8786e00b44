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
