import { TimeBuckets } from './time-buckets.js';

export const FAILED = 1;
export const SLOW = 2;

/** Outcomes a rate-based breaker decides on: calls, failures, slow calls. */
export interface OutcomeWindow {
  record(now: number, outcome: number): void;
  calls(now: number): number;
  failures(now: number): number;
  slow(now: number): number;
  clear(): void;
  export(now: number): number[] | number[][];
  import(now: number, data: unknown): void;
}

/** The last `size` outcomes (resilience4j COUNT_BASED): a ring of one byte per call. */
export class CountWindow implements OutcomeWindow {
  private readonly ring: Uint8Array;
  private next = 0;
  private filled = 0;
  private failed = 0;
  private slowCalls = 0;

  constructor(readonly size: number) {
    this.ring = new Uint8Array(size);
  }

  record(_now: number, outcome: number): void {
    if (this.filled === this.size) this.forget(this.ring[this.next]);
    else this.filled++;
    this.ring[this.next] = outcome;
    if (outcome & FAILED) this.failed++;
    if (outcome & SLOW) this.slowCalls++;
    this.next = (this.next + 1) % this.size;
  }

  calls(): number {
    return this.filled;
  }

  failures(): number {
    return this.failed;
  }

  slow(): number {
    return this.slowCalls;
  }

  clear(): void {
    this.ring.fill(0);
    this.next = this.filled = this.failed = this.slowCalls = 0;
  }

  /** Outcome codes, oldest first. */
  export(): number[] {
    const codes: number[] = [];
    const start = this.filled === this.size ? this.next : 0;
    for (let i = 0; i < this.filled; i++) codes.push(this.ring[(start + i) % this.size]);
    return codes;
  }

  import(now: number, data: unknown): void {
    this.clear();
    if (!Array.isArray(data)) return;
    for (const code of data.slice(-this.size)) this.record(now, Number(code) & (FAILED | SLOW));
  }

  private forget(outcome: number): void {
    if (outcome & FAILED) this.failed--;
    if (outcome & SLOW) this.slowCalls--;
  }
}

const CALLS = 0;
const FAILURES = 1;
const SLOW_CALLS = 2;

/** Outcomes of the last `durationMs` (resilience4j TIME_BASED), in lazily rotated buckets. */
export class TimeWindow implements OutcomeWindow {
  private readonly buckets: TimeBuckets;

  constructor(durationMs: number, bucketCount: number) {
    this.buckets = new TimeBuckets(bucketCount, durationMs / bucketCount, 3);
  }

  record(now: number, outcome: number): void {
    this.buckets.add(now, CALLS);
    if (outcome & FAILED) this.buckets.add(now, FAILURES);
    if (outcome & SLOW) this.buckets.add(now, SLOW_CALLS);
  }

  calls(now: number): number {
    return this.buckets.sum(now, CALLS);
  }

  failures(now: number): number {
    return this.buckets.sum(now, FAILURES);
  }

  slow(now: number): number {
    return this.buckets.sum(now, SLOW_CALLS);
  }

  clear(): void {
    this.buckets.clear();
  }

  /** `[calls, failures, slow]` per bucket, newest first. */
  export(now: number): number[][] {
    return this.buckets.export(now);
  }

  import(now: number, data: unknown): void {
    if (!Array.isArray(data)) return this.buckets.clear();
    this.buckets.import(now, data.filter(Array.isArray));
  }
}
