import { type Clock, systemClock } from '../core/clock.js';
import { type CancelSource, PolicyContext } from '../core/context.js';
import { type Deadline, DeadlineQueue } from '../core/deadline-queue.js';
import { checkName, checkNumber, checkOneOf } from '../core/options.js';
import { BasePolicy, invoke } from '../core/policy.js';
import { TimeoutError } from '../core/resilience.errors.js';

export interface TimeoutOptions {
  name?: string;
  /** Time limit per call, in ms. */
  timeoutMs: number;
  /**
   * `cooperative` (default): on timeout the signal aborts and the call's own settlement is
   * awaited (a rejection becomes {@link TimeoutError}). `aggressive`: the caller gets
   * {@link TimeoutError} at once while the signal tells the callee to stop.
   */
  strategy?: 'cooperative' | 'aggressive';
  clock?: Clock;
}

/**
 * The cancellation scope of one timed call. Its `AbortSignal` is created only if the callee reads
 * `ctx.signal`; subscribers inside the library are plain callbacks.
 */
class TimeoutScope implements CancelSource, Deadline {
  aborted = false;
  // Deadline queue links: the scope is its own queue node, one object per call.
  at = 0;
  prev: Deadline | undefined = undefined;
  next: Deadline | undefined = undefined;
  queued = false;
  reason: unknown = undefined;
  private controller: AbortController | undefined;
  private listeners: ((reason: unknown) => void)[] | undefined;

  constructor(private readonly policy: TimeoutPolicy) {}

  expire(): void {
    this.policy.expire(this);
  }

  get signal(): AbortSignal {
    if (!this.controller) {
      this.controller = new AbortController();
      if (this.aborted) this.controller.abort(this.reason);
    }
    return this.controller.signal;
  }

  subscribe(listener: (reason: unknown) => void): () => void {
    if (this.aborted) {
      listener(this.reason);
      return noop;
    }
    (this.listeners ??= []).push(listener);
    return () => {
      const index = this.listeners?.indexOf(listener) ?? -1;
      if (index >= 0) this.listeners!.splice(index, 1);
    };
  }

  abort(reason: unknown): void {
    if (this.aborted) return;
    this.aborted = true;
    this.reason = reason;
    this.controller?.abort(reason);
    const listeners = this.listeners;
    this.listeners = undefined;
    if (listeners) for (const listener of listeners) listener(reason);
  }
}

const noop = (): void => undefined;

/** Bounds each call's duration and aborts its signal with a {@link TimeoutError} reason. */
export class TimeoutPolicy extends BasePolicy {
  readonly timeoutMs: number;
  readonly strategy: 'cooperative' | 'aggressive';
  private readonly deadlines: DeadlineQueue;

  constructor(options: TimeoutOptions) {
    super(checkName('timeout.name', options?.name, 'timeout'));
    this.timeoutMs = checkNumber('timeout.timeoutMs', options?.timeoutMs, { above: 0, max: 2_147_483_647 });
    this.strategy = checkOneOf('timeout.strategy', options.strategy, ['cooperative', 'aggressive'], 'cooperative');
    this.deadlines = new DeadlineQueue(options.clock ?? systemClock, this.timeoutMs);
  }

  /** Calls whose deadline is still pending (0 once everything settled). */
  get pending(): number {
    return this.deadlines.size;
  }

  run<T>(operation: (ctx: PolicyContext) => PromiseLike<T> | T, ctx: PolicyContext): Promise<T> {
    const parent = ctx.source;
    if (parent.aborted) return Promise.reject(parent.reason);
    const scope = new TimeoutScope(this);
    let deadline: Deadline | undefined;
    const unlink = parent.subscribe((reason) => {
      if (deadline) this.deadlines.remove(deadline);
      scope.abort(reason);
    });
    const child = new PolicyContext(scope, ctx.attempt);
    if (this.strategy === 'aggressive') return this.runAggressive(operation, child, scope, unlink, (d) => (deadline = d));
    deadline = this.deadlines.add(scope);
    return this.runCooperative(operation, child, scope, deadline, unlink);
  }

  private async runCooperative<T>(
    operation: (ctx: PolicyContext) => PromiseLike<T> | T,
    child: PolicyContext,
    scope: TimeoutScope,
    deadline: Deadline,
    unlink: () => void,
  ): Promise<T> {
    try {
      return await operation(child);
    } catch (error) {
      // The callee gave up because of our abort: report the timeout, keeping its error as cause.
      if (scope.aborted && scope.reason instanceof TimeoutError && error !== scope.reason) {
        throw new TimeoutError(this.name, this.timeoutMs, { cause: error });
      }
      throw error;
    } finally {
      this.deadlines.remove(deadline);
      unlink();
    }
  }

  private runAggressive<T>(
    operation: (ctx: PolicyContext) => PromiseLike<T> | T,
    child: PolicyContext,
    scope: TimeoutScope,
    unlink: () => void,
    setDeadline: (deadline: Deadline) => void,
  ): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      let settled = false;
      // Runs once, on the first of: the callee settles, the deadline passes, the caller aborts.
      const finish = (): boolean => {
        if (settled) return false;
        settled = true;
        this.deadlines.remove(deadline);
        unsubscribe();
        unlink();
        return true;
      };
      const unsubscribe = scope.subscribe((reason) => {
        if (finish()) reject(reason);
      });
      const deadline = this.deadlines.add(scope);
      setDeadline(deadline);
      invoke(operation, child).then(
        (value) => {
          if (finish()) resolve(value);
        },
        (error: unknown) => {
          if (finish()) reject(error);
        },
      );
    });
  }

  /** @internal called by a scope whose deadline passed. */
  expire(scope: TimeoutScope): void {
    if (this.events.has('timeout')) this.events.emit('timeout', { policy: this.name, timeoutMs: this.timeoutMs });
    scope.abort(new TimeoutError(this.name, this.timeoutMs));
  }
}
