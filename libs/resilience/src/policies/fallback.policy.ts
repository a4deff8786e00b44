import type { PolicyContext } from '../core/context.js';
import { checkFunction, checkName } from '../core/options.js';
import { BasePolicy, invoke } from '../core/policy.js';
import { InvalidPolicyOptionError } from '../core/resilience.errors.js';

export type FallbackOptions<R> = {
  name?: string;
  /** Which failures the fallback answers (default: every failure except the caller's own abort). */
  handles?: (error: unknown) => boolean;
} & ({ value: R } | { fn: (error: unknown) => R | PromiseLike<R> });

/** Answers with a value, or the result of a function of the error, when the call fails. */
export class FallbackPolicy<R> extends BasePolicy<R> {
  private readonly answer: (error: unknown) => R | PromiseLike<R>;
  private readonly handles: ((error: unknown) => boolean) | undefined;

  constructor(options: FallbackOptions<R>) {
    super(checkName('fallback.name', options?.name, 'fallback'));
    if ('fn' in options) {
      this.answer = checkFunction('fallback.fn', options.fn, options.fn);
    } else if ('value' in options) {
      const value = options.value;
      this.answer = () => value;
    } else {
      throw new InvalidPolicyOptionError('fallback', 'needs a value or an fn', options);
    }
    this.handles = checkFunction<((error: unknown) => boolean) | undefined>('fallback.handles', options.handles, undefined);
  }

  run<T>(operation: (ctx: PolicyContext) => PromiseLike<T> | T, ctx: PolicyContext): Promise<T | R> {
    return invoke(operation, ctx).then(undefined, (error: unknown) => {
      const handled = this.handles ? this.handles(error) : !(ctx.source.aborted && error === ctx.source.reason);
      if (!handled) throw error;
      if (this.events.has('fallback')) this.events.emit('fallback', { policy: this.name, error });
      return this.answer(error);
    });
  }
}
