/**
 * Counters over a sliding time window, split into buckets. Buckets are rotated lazily from the
 * clock whenever the window is read or written, so a window costs no timer at all and an idle one
 * costs no CPU. All counters live in one typed array to keep thousands of windows small.
 */
export class TimeBuckets {
  /** `buckets × fields` counters, bucket-major. */
  private readonly counts: Int32Array;
  /** Sum over the live buckets, per field. */
  private readonly sums: Int32Array;
  /** Absolute index (time / bucketMs) of the newest bucket. */
  private head = -Infinity;

  constructor(
    readonly buckets: number,
    readonly bucketMs: number,
    readonly fields: number,
  ) {
    this.counts = new Int32Array(buckets * fields);
    this.sums = new Int32Array(fields);
  }

  /** Adds `amount` to `field` in the bucket covering `now`. */
  add(now: number, field: number, amount = 1): void {
    const slot = this.rotate(now);
    this.counts[slot * this.fields + field] += amount;
    this.sums[field] += amount;
  }

  /** Sum of `field` over the window ending at `now`. */
  sum(now: number, field: number): number {
    this.rotate(now);
    return this.sums[field];
  }

  clear(): void {
    this.counts.fill(0);
    this.sums.fill(0);
    this.head = -Infinity;
  }

  /** Counters newest bucket first, for snapshots. */
  export(now: number): number[][] {
    this.rotate(now);
    const rows: number[][] = [];
    const headSlot = this.slotOf(this.head);
    for (let age = 0; age < this.buckets; age++) {
      const slot = (headSlot - age + this.buckets) % this.buckets;
      rows.push(Array.from(this.counts.subarray(slot * this.fields, (slot + 1) * this.fields)));
    }
    return rows;
  }

  /** Restores counters exported by {@link export}, aligned to the bucket covering `now`. */
  import(now: number, rows: readonly (readonly number[])[]): void {
    this.clear();
    this.head = Math.floor(now / this.bucketMs);
    const headSlot = this.slotOf(this.head);
    rows.slice(0, this.buckets).forEach((row, age) => {
      const slot = (headSlot - age + this.buckets) % this.buckets;
      for (let field = 0; field < this.fields; field++) {
        const value = Math.max(0, Math.trunc(Number(row[field]) || 0));
        this.counts[slot * this.fields + field] = value;
        this.sums[field] += value;
      }
    });
  }

  private slotOf(index: number): number {
    return ((index % this.buckets) + this.buckets) % this.buckets;
  }

  /** Clears buckets that fell out of the window since the last access; returns the head slot. */
  private rotate(now: number): number {
    const index = Math.floor(now / this.bucketMs);
    if (index > this.head) {
      const expired = index - this.head;
      if (expired >= this.buckets) {
        this.counts.fill(0);
        this.sums.fill(0);
      } else {
        for (let step = 1; step <= expired; step++) {
          const slot = this.slotOf(this.head + step);
          for (let field = 0; field < this.fields; field++) {
            this.sums[field] -= this.counts[slot * this.fields + field];
            this.counts[slot * this.fields + field] = 0;
          }
        }
      }
      this.head = index;
    }
    // A clock that steps back (restored snapshot, fake clock) writes into the newest bucket.
    return this.slotOf(this.head);
  }
}
