import type { Clock, TimerHandle } from './clock.js';

/** One pending deadline; a node of the queue's doubly linked list so removal is O(1). */
export interface Deadline {
  at: number;
  prev: Deadline | undefined;
  next: Deadline | undefined;
  queued: boolean;
  /** Called once when the deadline passes while still queued. */
  expire(): void;
}

/**
 * Deadlines of one fixed duration expire in the order they were created, so a FIFO list and a
 * single timer armed for its head serve every call: no `setTimeout`/`clearTimeout` per call.
 * The timer is unref'd while nothing is pending, and is not re-armed once the queue is empty,
 * so an idle policy holds no timer at all after its last deadline would have passed.
 */
export class DeadlineQueue {
  private head: Deadline | undefined;
  private tail: Deadline | undefined;
  private timer: TimerHandle | undefined;

  constructor(
    private readonly clock: Clock,
    private readonly durationMs: number,
  ) {}

  /** Queues `entry` (its links are overwritten) with a deadline of now + duration. */
  add(entry: Deadline): Deadline {
    entry.at = this.clock.now() + this.durationMs;
    entry.prev = this.tail;
    entry.next = undefined;
    entry.queued = true;
    if (this.tail) this.tail.next = entry;
    else this.head = entry;
    this.tail = entry;
    if (this.timer === undefined) this.arm(entry.at);
    else if (this.head === entry) this.timer.ref?.();
    return entry;
  }

  remove(entry: Deadline): void {
    if (!entry.queued) return;
    entry.queued = false;
    if (entry.prev) entry.prev.next = entry.next;
    else this.head = entry.next;
    if (entry.next) entry.next.prev = entry.prev;
    else this.tail = entry.prev;
    entry.prev = entry.next = undefined;
    // Nothing left to guard: let the process exit; the timer lapses harmlessly.
    if (!this.head) this.timer?.unref?.();
  }

  /** Deadlines not yet expired nor removed. */
  get size(): number {
    let count = 0;
    for (let entry = this.head; entry; entry = entry.next) count++;
    return count;
  }

  private arm(at: number): void {
    this.timer = this.clock.setTimeout(() => this.fire(), Math.max(0, at - this.clock.now()));
  }

  private fire(): void {
    this.timer = undefined;
    const now = this.clock.now();
    while (this.head && this.head.at <= now) {
      const entry = this.head;
      this.remove(entry);
      entry.expire();
    }
    if (this.head) this.arm(this.head.at);
  }
}
