import { PolicyContext, type ExecuteContext } from './context.js';
import { PolicyEvents } from './events.js';

export type Operation<T> = (ctx: ExecuteContext) => PromiseLike<T> | T;

/**
 * One calling convention for every policy and every composition of them:
 * `policy.execute((ctx) => fn(ctx.signal), signal?)`. `R` is what a fallback may answer instead.
 */
export interface Policy<R = never> {
  readonly name: string;
  readonly events: PolicyEvents;
  execute<T>(operation: Operation<T>, signal?: AbortSignal): Promise<T | R>;
  /** Runs within an existing context; how policies compose without re-creating signals. */
  run<T>(operation: (ctx: PolicyContext) => PromiseLike<T> | T, ctx: PolicyContext): Promise<T | R>;
  /** The policies this one is made of, outermost first (itself for a single policy). */
  readonly members: readonly Policy<unknown>[];
}

/** Calls the operation, turning a synchronous throw into a rejection. */
export function invoke<T>(operation: (ctx: PolicyContext) => PromiseLike<T> | T, ctx: PolicyContext): Promise<T> {
  try {
    return Promise.resolve(operation(ctx));
  } catch (error) {
    return Promise.reject(error);
  }
}

export abstract class BasePolicy<R = never> implements Policy<R> {
  readonly events = new PolicyEvents();

  constructor(readonly name: string) {}

  get members(): readonly Policy<unknown>[] {
    return [this];
  }

  execute<T>(operation: Operation<T>, signal?: AbortSignal): Promise<T | R> {
    if (signal?.aborted) return Promise.reject(signal.reason);
    return this.run(operation, PolicyContext.root(signal));
  }

  abstract run<T>(operation: (ctx: PolicyContext) => PromiseLike<T> | T, ctx: PolicyContext): Promise<T | R>;
}
