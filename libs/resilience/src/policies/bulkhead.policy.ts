import { PolicyContext } from '../core/context.js';
import { checkName, checkNumber, optionalNumber } from '../core/options.js';
import { BasePolicy } from '../core/policy.js';
import { BulkheadRejectedError } from '../core/resilience.errors.js';

export interface BulkheadOptions {
  name?: string;
  /** Calls running at once. */
  maxConcurrent: number;
  /** Calls allowed to wait for a slot (default 0: reject as soon as every slot is busy). */
  maxQueue?: number;
}

/** A queued call; a doubly linked list node so an aborted waiter leaves the queue in O(1). */
interface Waiter {
  start: () => void;
  prev: Waiter | undefined;
  next: Waiter | undefined;
}

/** Limits concurrency towards one dependency so a slow one cannot take every socket and every request. */
export class BulkheadPolicy extends BasePolicy {
  readonly maxConcurrent: number;
  readonly maxQueue: number;
  private running = 0;
  private queued = 0;
  private head: Waiter | undefined;
  private tail: Waiter | undefined;

  constructor(options: BulkheadOptions) {
    super(checkName('bulkhead.name', options?.name, 'bulkhead'));
    this.maxConcurrent = checkNumber('bulkhead.maxConcurrent', options?.maxConcurrent, { min: 1, integer: true });
    this.maxQueue = optionalNumber('bulkhead.maxQueue', options.maxQueue, 0, { min: 0, integer: true, infinite: true });
  }

  /** Calls holding a slot. */
  get active(): number {
    return this.running;
  }

  /** Calls waiting for a slot. */
  get queueLength(): number {
    return this.queued;
  }

  run<T>(operation: (ctx: PolicyContext) => PromiseLike<T> | T, ctx: PolicyContext): Promise<T> {
    if (this.running < this.maxConcurrent) return this.runNow(operation, ctx);
    if (this.queued >= this.maxQueue) {
      if (this.events.has('reject')) this.events.emit('reject', { policy: this.name, reason: 'bulkhead-full' });
      return Promise.reject(new BulkheadRejectedError(this.name, this.maxConcurrent, this.maxQueue));
    }
    if (ctx.source.aborted) return Promise.reject(ctx.source.reason);
    return new Promise<T>((resolve, reject) => {
      const waiter: Waiter = {
        start: () => {
          unsubscribe();
          this.runNow(operation, ctx).then(resolve, reject);
        },
        prev: this.tail,
        next: undefined,
      };
      const unsubscribe = ctx.source.subscribe((reason) => {
        this.dequeue(waiter);
        reject(reason);
      });
      if (this.tail) this.tail.next = waiter;
      else this.head = waiter;
      this.tail = waiter;
      this.queued++;
    });
  }

  private async runNow<T>(operation: (ctx: PolicyContext) => PromiseLike<T> | T, ctx: PolicyContext): Promise<T> {
    this.running++;
    try {
      return await operation(ctx);
    } finally {
      this.release();
    }
  }

  private release(): void {
    this.running--;
    const next = this.head;
    if (next && this.running < this.maxConcurrent) {
      this.dequeue(next);
      next.start();
    }
  }

  private dequeue(waiter: Waiter): void {
    if (waiter.prev) waiter.prev.next = waiter.next;
    else if (this.head === waiter) this.head = waiter.next;
    else return; // already left the queue
    if (waiter.next) waiter.next.prev = waiter.prev;
    else this.tail = waiter.prev;
    waiter.prev = waiter.next = undefined;
    this.queued--;
  }
}
